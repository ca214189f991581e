using Grpc.Core;
using Npgsql;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;
using static PermissionLayer.Server.Tests.Consents.ConsentRequests;

namespace PermissionLayer.Server.Tests.Review;

/// <summary>Round 12: the consent registry's shards, their load after activation, and compiled forms.</summary>
public sealed class ReviewHoleTests12
{
    /// <summary>
    /// A shard's first load applies its consents to memory and sets its revision, and only then stores the
    /// compiled forms it had to compile. A cache write that fails with anything but "PostgreSQL unavailable"
    /// (here 25006, what a read-only standby or <c>default_transaction_read_only</c> answers while reads still
    /// work; a statement timeout or a constraint is the same) faults the load after the state was taken. The next
    /// call starts the load again, which adds the rows it reads but never removes a patient it does not read:
    /// a patient whose only consent was withdrawn in between stays in the shard with the withdrawn consent,
    /// at a revision past the withdrawal, so no catch-up ever removes it. Under an OPTOUT default that
    /// withdrawn consent keeps admitting the patient to population searches.
    /// </summary>
    [Fact]
    public async Task A_consent_withdrawn_while_a_shard_load_had_failed_after_taking_its_state_no_longer_admits_the_patient()
    {
        var connection = await PostgresServer.CreateDatabaseAsync("r12-reload");
        var optOut = new Dictionary<string, string?> { ["PermissionLayer:Consent:DefaultPolicyRule"] = "OPTOUT" };
        await using (var first = await ServerHost.StartAsync(connection, optOut))
        {
            var admin = new AdminService.AdminServiceClient(first.Channel);
            await admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
            await admin.CreateGrantAsync(Requests.Grant("Practitioner/r12-doc", "Patient/r12-p"));
            // OPTIN, no provisions: under the OPTOUT default this consent is what admits r12-p.
            await admin.PutConsentAsync(ReviewChecks.Consent("r12-consent", "r12-p", "OPTIN", null));
        }

        // As after a bulk SQL load or an upgrade: the next start compiles the consent and stores its form;
        // that write fails (not as "unavailable": Npgsql counts lock timeouts and deadlocks as transient, those are swallowed).
        await using (var sql = new NpgsqlConnection(connection))
        {
            await sql.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = new NpgsqlCommand("""
                UPDATE consents SET compiled_form = NULL;
                CREATE FUNCTION r12_fail() RETURNS trigger LANGUAGE plpgsql AS
                  $$ BEGIN RAISE EXCEPTION 'cannot execute UPDATE in a read-only transaction' USING ERRCODE = '25006'; END $$;
                CREATE TRIGGER r12_fail BEFORE UPDATE OF compiled_form ON consents FOR EACH ROW
                  WHEN (NEW.compiled_form IS NOT NULL) EXECUTE FUNCTION r12_fail();
                """, sql);
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        await using var second = await ServerHost.StartAsync(connection, optOut);
        var admin2 = new AdminService.AdminServiceClient(second.Channel);
        var decisions = new DecisionService.DecisionServiceClient(second.Channel);

        // The shard's load takes r12-p's consent and fails storing its form. Since the fix a failed cache
        // write no longer fails the load (it failed this search with INTERNAL before): r12-p's consent in force is applied.
        var beforeWithdrawal = await decisions.CheckAsync(SearchAllObservations("Practitioner/r12-doc"));
        Assert.Equal(Outcome.Permit, beforeWithdrawal.Outcome);
        Assert.Equal(["r12-p"], beforeWithdrawal.Obligation.Patients.PatientIds);

        await admin2.WithdrawConsentAsync(new WithdrawConsentRequest { ConsentId = "r12-consent", PatientId = "r12-p", Reason = "withdrawn" });
        await using (var sql = new NpgsqlConnection(connection))
        {
            await sql.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = new NpgsqlCommand("DROP TRIGGER r12_fail ON consents", sql);
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        // r12-p has no consent in force: under OPTOUT nobody reaches them by a population search.
        var search = await decisions.CheckAsync(SearchAllObservations("Practitioner/r12-doc"));
        Assert.DoesNotContain("r12-p", search.Obligation?.Patients?.PatientIds ?? []);
        Assert.True(search.Outcome == Outcome.Deny, ReviewChecks.Describe(search));

        using var stream = decisions.StreamAccessiblePatients(new AccessiblePatientsRequest { Token = Token("Practitioner/r12-doc"), ResourceType = "Observation" });
        var streamed = new List<string>();
        await foreach (var page in stream.ResponseStream.ReadAllAsync(TestContext.Current.CancellationToken))
        {
            streamed.AddRange(page.PatientIds);
        }
        Assert.DoesNotContain("r12-p", streamed);
    }
}
