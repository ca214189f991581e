using System.Diagnostics;
using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Lifecycle;

/// <summary>
/// A batch or import committed through one silo is never visible on another before that silo's
/// activations have applied it: neither a decision there reporting its revision nor one asking for it
/// as <c>min_revision</c> permits what it revoked — also when the committing silo stops between COMMIT
/// and its reloads (the other silo catches up from the change log by itself).
/// </summary>
public sealed class CrossSiloRevisionTests
{
    /// <summary>The other silo's catch-up runs every second; this leaves room for a loaded machine.</summary>
    private static readonly TimeSpan CatchUpLimit = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task A_batch_held_between_commit_and_reloads_is_not_visible_on_the_other_silo_before_it_applies_there()
    {
        var hold = new HoldAfterCommit();
        await using var pair = await SiloPair.StartAsync("xsilo-held", hold);
        var adminOnFirst = new AdminService.AdminServiceClient(pair.First.Channel);
        var onSecond = new DecisionService.DecisionServiceClient(pair.Second.Channel);
        await adminOnFirst.CreateGrantAsync(Requests.TrustClientForAllPatients());
        var adminOnSecond = new AdminService.AdminServiceClient(pair.Second.Channel);
        var grants = new Dictionary<string, string>();
        var principal = await ActiveOnAsync(pair.Second, "xs-held", "xh-1", async p =>
            grants[p] = (await adminOnSecond.CreateGrantAsync(Requests.Grant(p, "Patient/xh-1"))).Grant.Id);

        var batch = new ApplyChangesRequest();
        batch.Changes.Add(new BatchChange { RevokeGrant = new RevokeGrantRequest { Principal = principal, GrantId = grants[principal], Reason = "left the ward" } });
        var applying = adminOnFirst.ApplyChangesAsync(batch).ResponseAsync;
        try
        {
            var revision = await hold.Committed.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

            // A PEP that read the revision from Watch (or from the batch's answer, had it come) asks for it.
            var pinned = Requests.ReadPatient(principal, "xh-1");
            pinned.MinRevision = revision;
            Assert.Equal(Outcome.Deny, (await onSecond.CheckAsync(pinned)).Outcome);

            // Once the second silo reports the revision (its refresh runs every second), it holds the revoke.
            var reported = await ReportingAsync(onSecond, Requests.ReadPatient(principal, "xh-1"), revision);
            Assert.Equal(Outcome.Deny, reported.Outcome);
        }
        finally
        {
            hold.Release();
        }
        await applying;
        Assert.Equal(Outcome.Deny, (await onSecond.CheckAsync(Requests.ReadPatient(principal, "xh-1"))).Outcome);
    }

    [Fact]
    public async Task An_import_whose_silo_stops_between_commit_and_reloads_is_applied_on_the_other_silo_by_itself()
    {
        var crash = new CrashAfterCommit();
        await using var pair = await SiloPair.StartAsync("xsilo-crash", crash);
        var adminOnFirst = new AdminService.AdminServiceClient(pair.First.Channel);
        var onSecond = new DecisionService.DecisionServiceClient(pair.Second.Channel);
        await adminOnFirst.CreateGrantAsync(Requests.TrustClientForAllPatients());
        var lists = new Dictionary<string, string>();
        var principal = await ActiveOnAsync(pair.Second, "xs-crash", "xc-1", async p =>
        {
            lists[p] = "panel-" + p.Replace('/', '-');
            await ImportAsync(new AdminService.AdminServiceClient(pair.Second.Channel), PanelList(lists[p], p, "xc-1"));
        });

        // The panel's new version drops the patient (its grant is revoked); the first silo "dies" after COMMIT.
        await Assert.ThrowsAnyAsync<RpcException>(() => ImportAsync(adminOnFirst, PanelList(lists[principal], principal, "xc-2")));
        Assert.True(crash.Revision > 0);

        var clock = Stopwatch.StartNew();
        CheckResponse decision;
        do
        {
            decision = await onSecond.CheckAsync(Requests.ReadPatient(principal, "xc-1"));
            // Never a permit from a decision that claims the revision the import committed.
            Assert.False(decision.Outcome == Outcome.Permit && decision.Revision >= crash.Revision,
                $"permitted at revision {decision.Revision} what revision {crash.Revision} revoked");
            if (decision.Outcome == Outcome.Deny)
            {
                break;
            }
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
        while (clock.Elapsed < CatchUpLimit);
        Assert.Equal(Outcome.Deny, decision.Outcome);
        TestContext.Current.SendDiagnosticMessage($"applied on the other silo {clock.Elapsed.TotalSeconds:F1} s after the crash");
    }

    /// <summary>
    /// Entitles principals named after <paramref name="prefix"/> to the patient until one's activation
    /// lands on <paramref name="host"/> (Orleans places activations where it likes), checked there once.
    /// </summary>
    private static async Task<string> ActiveOnAsync(ServerHost host, string prefix, string patient, Func<string, Task> entitle)
    {
        var decisions = new DecisionService.DecisionServiceClient(host.Channel);
        for (var i = 0; i < 40; i++)
        {
            var principal = $"Practitioner/{prefix}-{i}";
            await entitle(principal);
            Assert.Equal(Outcome.Permit, (await decisions.CheckAsync(Requests.ReadPatient(principal, patient))).Outcome);
            if (SiloPair.HoldsPrincipal(host, principal))
            {
                return principal;
            }
        }
        throw new InvalidOperationException($"no activation of {prefix}-* landed on the silo");
    }

    /// <summary>Checks until the silo reports at least <paramref name="revision"/>; the first such answer.</summary>
    private static async Task<CheckResponse> ReportingAsync(DecisionService.DecisionServiceClient decisions, CheckRequest request, long revision)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var decision = await decisions.CheckAsync(request);
            if (decision.Revision >= revision || clock.Elapsed > CatchUpLimit)
            {
                Assert.True(decision.Revision >= revision, $"the silo still reports {decision.Revision} < {revision}");
                return decision;
            }
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    private static string PanelList(string id, string owner, params string[] patients) => System.Text.Json.JsonSerializer.Serialize(new
    {
        resourceType = "List", id, status = "current", mode = "working", title = "panel", source = new { reference = owner },
        entry = patients.Select(p => new { item = new { reference = $"Patient/{p}" } }),
    });

    private static async Task ImportAsync(AdminService.AdminServiceClient admin, string json)
    {
        using var call = admin.Import(new ImportRequest { Format = "json", Content = json, Reason = "nightly sync" });
        while (await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken))
        {
        }
    }
}
