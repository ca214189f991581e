using Grpc.Core;
using Npgsql;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Decisions;

/// <summary>When PostgreSQL cannot be reached, anything that needs it fails closed with UNAVAILABLE.</summary>
public sealed class StorageOutageTests
{
    [Fact]
    public async Task Database_outage_gives_unavailable_never_a_permit_and_service_recovers()
    {
        var direct = new NpgsqlConnectionStringBuilder(await PostgresServer.CreateDatabaseAsync("outage"));
        await using var relay = new TcpRelay(direct.Host!, direct.Port);
        var viaRelay = relay.Route(direct.ConnectionString);
        await using var host = await ServerHost.StartAsync(viaRelay);
        var admin = new AdminService.AdminServiceClient(host.Channel);
        var decisions = new DecisionService.DecisionServiceClient(host.Channel);
        await admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        await admin.CreateGrantAsync(Requests.Grant("Practitioner/during-outage", "Patient/o-1"));

        relay.Cut();
        // A user whose grain must first load from PostgreSQL: UNAVAILABLE, not a guess.
        var read = await Assert.ThrowsAsync<RpcException>(() =>
            decisions.CheckAsync(Requests.ReadPatient("Practitioner/cold-user", "o-1")).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, read.StatusCode);
        // A write cannot be acknowledged without being committed.
        var write = await Assert.ThrowsAsync<RpcException>(() =>
            admin.CreateGrantAsync(Requests.Grant("Practitioner/during-outage", "Patient/o-2")).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, write.StatusCode);

        relay.Restore();
        // The failed write left nothing behind, and the service answers again.
        var after = await decisions.CheckAsync(Requests.ReadPatient("Practitioner/during-outage", "o-2"));
        Assert.Equal(Outcome.Deny, after.Outcome);
        await admin.CreateGrantAsync(Requests.Grant("Practitioner/during-outage", "Patient/o-2"));
        Assert.Equal(Outcome.Permit, (await decisions.CheckAsync(Requests.ReadPatient("Practitioner/during-outage", "o-2"))).Outcome);
    }

    [Fact]
    public async Task A_write_that_failed_for_want_of_storage_leaves_no_stale_memory_behind()
    {
        var direct = new NpgsqlConnectionStringBuilder(await PostgresServer.CreateDatabaseAsync("lost-reply"));
        await using var relay = new TcpRelay(direct.Host!, direct.Port);
        await using var host = await ServerHost.StartAsync(relay.Route(direct.ConnectionString));
        var admin = new AdminService.AdminServiceClient(host.Channel);
        var decisions = new DecisionService.DecisionServiceClient(host.Channel);
        await admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        var grant = await admin.CreateGrantAsync(Requests.Grant("Practitioner/lost-reply", "Patient/l-1"));
        Assert.Equal(Outcome.Permit, (await decisions.CheckAsync(Requests.ReadPatient("Practitioner/lost-reply", "l-1"))).Outcome);

        relay.Cut();
        var revoke = await Assert.ThrowsAsync<RpcException>(() => admin.RevokeGrantAsync(
            new RevokeGrantRequest { GrantId = grant.Grant.Id, Principal = "Practitioner/lost-reply", Reason = "left the ward" }).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, revoke.StatusCode);
        // Short and stable: PostgreSQL's own text (addresses, index names) stays in the log.
        Assert.Equal("storage unavailable, retry", revoke.Status.Detail);
        // As if the revoke had committed and only its answer was lost on the broken connection.
        Assert.Equal(1, await GrantRows.RevokeAllAsync(direct.ConnectionString, "Practitioner/lost-reply", "left the ward"));
        relay.Restore();

        // The grain's memory still held the grant; the decision must come from what PostgreSQL holds.
        var after = await decisions.CheckAsync(Requests.ReadPatient("Practitioner/lost-reply", "l-1"));
        Assert.Equal(Outcome.Deny, after.Outcome);
    }

    [Fact]
    public async Task A_membership_removal_that_failed_for_want_of_storage_leaves_no_stale_member_behind()
    {
        var direct = new NpgsqlConnectionStringBuilder(await PostgresServer.CreateDatabaseAsync("lost-member"));
        await using var relay = new TcpRelay(direct.Host!, direct.Port);
        await using var host = await ServerHost.StartAsync(relay.Route(direct.ConnectionString));
        var admin = new AdminService.AdminServiceClient(host.Channel);
        var decisions = new DecisionService.DecisionServiceClient(host.Channel);
        await admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        await admin.ChangeGroupMembersAsync(new ChangeGroupMembersRequest { GroupId = "lr-ward", Upsert = { new GroupMember { PatientId = "lm-1" } }, Reason = "admitted" });
        await admin.CreateGrantAsync(Requests.Grant("Practitioner/lost-member", "Group/lr-ward"));
        Assert.Equal(Outcome.Permit, (await decisions.CheckAsync(Requests.ReadPatient("Practitioner/lost-member", "lm-1"))).Outcome);

        relay.Cut();
        var removal = await Assert.ThrowsAsync<RpcException>(() => admin.ChangeGroupMembersAsync(
            new ChangeGroupMembersRequest { GroupId = "lr-ward", Remove = { "lm-1" }, Reason = "discharged" }).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, removal.StatusCode);
        // As if the removal had committed and only its answer was lost on the broken connection.
        await using (var connection = new NpgsqlConnection(direct.ConnectionString))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var delete = new NpgsqlCommand("DELETE FROM group_members WHERE patient_id = 'lm-1'", connection);
            Assert.Equal(1, await delete.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
        }
        relay.Restore();

        // The group's grain changes its memory only once the commit answers, so it still held the member.
        var after = await decisions.CheckAsync(Requests.ReadPatient("Practitioner/lost-member", "lm-1"));
        Assert.Equal(Outcome.Deny, after.Outcome);
    }

    [Fact]
    public async Task A_key_first_used_while_storage_is_down_gets_unavailable_so_that_clients_retry()
    {
        var direct = new NpgsqlConnectionStringBuilder(await PostgresServer.CreateDatabaseAsync("key-outage"));
        await using var relay = new TcpRelay(direct.Host!, direct.Port);
        await using var host = await ServerHost.StartAsync(relay.Route(direct.ConnectionString));
        await new AdminService.AdminServiceClient(host.Channel).CreateGrantAsync(Requests.TrustClientForAllPatients());
        var fresh = await host.CreateKeyAsync("never-used-yet", "pep");
        var decisions = new DecisionService.DecisionServiceClient(host.ChannelWith(fresh));

        relay.Cut();
        var error = await Assert.ThrowsAsync<RpcException>(() => decisions.CheckAsync(Requests.ReadPatient("Practitioner/key-outage", "k-1")).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, error.StatusCode); // was UNKNOWN (HTTP 500 from the handler)
        relay.Restore();

        Assert.Equal(Outcome.Deny, (await decisions.CheckAsync(Requests.ReadPatient("Practitioner/key-outage", "k-1"))).Outcome);
    }
}
