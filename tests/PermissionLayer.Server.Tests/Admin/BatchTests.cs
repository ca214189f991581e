using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Admin;

/// <summary>
/// Admin batches over real gRPC, silo and PostgreSQL: every change commits and is seen by the next
/// decision, or — when any change is invalid, stale or refers to nothing — none of them is.
/// </summary>
public sealed class BatchTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly AdminService.AdminServiceClient _admin = new(server.Host.Channel);
    private readonly DecisionService.DecisionServiceClient _decisions = new(server.Host.Channel);

    private async Task<Outcome> Read(string user, string patient) =>
        (await _decisions.CheckAsync(Requests.ReadPatient(user, patient))).Outcome;

    private static BatchChange Grant(string principal, string target, long? expected = null)
    {
        var request = Requests.Grant(principal, target);
        if (expected is { } revision)
        {
            request.ExpectedRevision = revision;
        }
        return new BatchChange { CreateGrant = request };
    }

    private static BatchChange Members(string group, params string[] patients)
    {
        var change = new ChangeGroupMembersRequest { GroupId = group, Reason = "handover" };
        change.Upsert.AddRange(patients.Select(p => new GroupMember { PatientId = p }));
        return new BatchChange { ChangeGroupMembers = change };
    }

    private static ApplyChangesRequest Batch(params BatchChange[] changes)
    {
        var request = new ApplyChangesRequest();
        request.Changes.AddRange(changes);
        return request;
    }

    [Fact]
    public async Task A_handover_commits_whole_and_the_next_decision_sees_every_change()
    {
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        var old = await _admin.CreateGrantAsync(Requests.Grant("Practitioner/bt-leaving", "Patient/bt-1"));
        var revoke = new BatchChange { RevokeGrant = new RevokeGrantRequest { Principal = "Practitioner/bt-leaving", GrantId = old.Grant.Id, Reason = "handover" } };

        var applied = await _admin.ApplyChangesAsync(Batch(
            Grant("Practitioner/bt-arriving", "Patient/bt-1"), revoke, Members("bt-ward", "bt-2"), Grant("Practitioner/bt-arriving", "Group/bt-ward")));

        Assert.Equal(4, applied.Revisions.Count);
        Assert.Equal(applied.Revisions.Order(), applied.Revisions);
        Assert.True(applied.Revisions[0] > old.Revision);
        Assert.Equal(Outcome.Deny, await Read("Practitioner/bt-leaving", "bt-1"));
        Assert.Equal(Outcome.Permit, await Read("Practitioner/bt-arriving", "bt-1"));
        Assert.Equal(Outcome.Permit, await Read("Practitioner/bt-arriving", "bt-2"));
    }

    [Fact]
    public async Task A_stale_precondition_in_the_last_change_applies_none_of_the_batch()
    {
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/bt-busy", "Patient/bt-3"));

        var error = await Assert.ThrowsAsync<RpcException>(async () => await _admin.ApplyChangesAsync(Batch(
            Grant("Practitioner/bt-first", "Patient/bt-4"), Members("bt-none-ward", "bt-4"), Grant("Practitioner/bt-busy", "Patient/bt-5", expected: 0))));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.StartsWith("changes[2].expected_revision", error.Status.Detail);
        Assert.Equal(Outcome.Deny, await Read("Practitioner/bt-first", "bt-4"));
        Assert.Empty((await _admin.ListGrantsAsync(new ListGrantsRequest { Principal = "Practitioner/bt-first" })).Grants);
        Assert.DoesNotContain((await _admin.WhoCanSeeAsync(new WhoCanSeeRequest { PatientId = "bt-4" })).Paths, p => p.Via == "Group/bt-none-ward");
    }

    [Fact]
    public async Task An_invalid_or_missing_change_is_named_and_nothing_is_applied()
    {
        var invalid = await Assert.ThrowsAsync<RpcException>(async () => await _admin.ApplyChangesAsync(Batch(
            Grant("Practitioner/bt-x", "Patient/bt-6"), Grant("Practitioner/bt-x", "Location/nowhere"))));
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
        Assert.StartsWith("changes[1]", invalid.Status.Detail);

        var missing = new BatchChange { RevokeGrant = new RevokeGrantRequest { Principal = "Practitioner/bt-x", GrantId = Guid.NewGuid().ToString(), Reason = "r" } };
        var notFound = await Assert.ThrowsAsync<RpcException>(async () => await _admin.ApplyChangesAsync(Batch(Grant("Practitioner/bt-x", "Patient/bt-6"), missing)));
        Assert.Equal(StatusCode.NotFound, notFound.StatusCode);
        Assert.StartsWith("changes[1]", notFound.Status.Detail);

        var badField = await Assert.ThrowsAsync<RpcException>(async () => await _admin.ApplyChangesAsync(Batch(Members("bad/id", "p"))));
        Assert.StartsWith("changes[0].group_id", badField.Status.Detail);
        Assert.Empty((await _admin.ListGrantsAsync(new ListGrantsRequest { Principal = "Practitioner/bt-x" })).Grants);
    }
}
