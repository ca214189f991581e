using System.Text.Json;
using Grpc.Core;
using Npgsql;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Lifecycle;

/// <summary>
/// A batch or import whose answer is lost to a storage outage may have committed: every grain it may
/// have touched must then re-read PostgreSQL or drop its activation, so no stale member or participant
/// is permitted once storage is back (a group or care team changed that way, as for single writes).
/// </summary>
public sealed class LostAnswerTests
{
    [Fact]
    public async Task A_batch_membership_removal_whose_answer_was_lost_leaves_no_stale_member()
    {
        var direct = new NpgsqlConnectionStringBuilder(await PostgresServer.CreateDatabaseAsync("lost-batch"));
        await using var relay = new TcpRelay(direct.Host!, direct.Port);
        await using var host = await ServerHost.StartAsync(relay.Route(direct.ConnectionString));
        var admin = new AdminService.AdminServiceClient(host.Channel);
        var decisions = new DecisionService.DecisionServiceClient(host.Channel);
        await admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        await admin.ChangeGroupMembersAsync(new ChangeGroupMembersRequest { GroupId = "lb-ward", Upsert = { new GroupMember { PatientId = "lb-1" } }, Reason = "admitted" });
        await admin.CreateGrantAsync(Requests.Grant("Practitioner/lost-batch", "Group/lb-ward"));
        Assert.Equal(Outcome.Permit, (await decisions.CheckAsync(Requests.ReadPatient("Practitioner/lost-batch", "lb-1"))).Outcome);

        relay.Cut();
        var batch = new ApplyChangesRequest();
        batch.Changes.Add(new BatchChange { ChangeGroupMembers = new ChangeGroupMembersRequest { GroupId = "lb-ward", Remove = { "lb-1" }, Reason = "discharged" } });
        var error = await Assert.ThrowsAsync<RpcException>(() => admin.ApplyChangesAsync(batch).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        // As if the batch had committed and only its answer was lost on the broken connection.
        await ExecuteAsync(direct.ConnectionString, "DELETE FROM group_members WHERE group_id = 'lb-ward' AND patient_id = 'lb-1'");
        relay.Restore();

        Assert.Equal(Outcome.Deny, (await decisions.CheckAsync(Requests.ReadPatient("Practitioner/lost-batch", "lb-1"))).Outcome);
    }

    [Fact]
    public async Task A_care_team_import_whose_answer_was_lost_leaves_no_stale_participant()
    {
        var direct = new NpgsqlConnectionStringBuilder(await PostgresServer.CreateDatabaseAsync("lost-import"));
        await using var relay = new TcpRelay(direct.Host!, direct.Port);
        await using var host = await ServerHost.StartAsync(relay.Route(direct.ConnectionString));
        var admin = new AdminService.AdminServiceClient(host.Channel);
        var decisions = new DecisionService.DecisionServiceClient(host.Channel);
        await admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        await ImportAsync(admin, CareTeam("lc-team", "lc-subject", "lc-nurse"));
        Assert.Equal(Outcome.Permit, (await decisions.CheckAsync(Requests.ReadPatient("Practitioner/lc-nurse", "lc-subject"))).Outcome);

        relay.Cut();
        var error = await Assert.ThrowsAsync<RpcException>(() => ImportAsync(admin, CareTeam("lc-team", "lc-subject", "lc-other")));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        // As if the import had committed and only its answer was lost on the broken connection.
        await ExecuteAsync(direct.ConnectionString, """
            UPDATE care_teams SET participants = ARRAY['Practitioner/lc-other'],
                participations = '[{"member":"Practitioner/lc-other","start":null,"end":null}]'::jsonb
            WHERE id = 'lc-team'
            """);
        relay.Restore();

        Assert.Equal(Outcome.Deny, (await decisions.CheckAsync(Requests.ReadPatient("Practitioner/lc-nurse", "lc-subject"))).Outcome);
    }

    private static string CareTeam(string id, string subject, string practitioner) => JsonSerializer.Serialize(new
    {
        resourceType = "CareTeam", id, status = "active", subject = new { reference = $"Patient/{subject}" },
        participant = new[] { new { role = new[] { new { text = "nurse" } }, member = new { reference = $"Practitioner/{practitioner}" } } },
    });

    private static async Task ImportAsync(AdminService.AdminServiceClient admin, string json)
    {
        using var call = admin.Import(new ImportRequest { Format = "json", Content = json, Reason = "nightly sync" });
        while (await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken))
        {
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        Assert.Equal(1, await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
    }
}
