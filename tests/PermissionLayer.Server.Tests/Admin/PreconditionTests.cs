using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Admin;

/// <summary>
/// Writes with an expected revision over real gRPC, silo and PostgreSQL: they apply only when the
/// subject's last change is that revision, and otherwise fail with FAILED_PRECONDITION, changing nothing.
/// </summary>
public sealed class PreconditionTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly AdminService.AdminServiceClient _admin = new(server.Host.Channel);

    private static ChangeGroupMembersRequest Add(string group, string patient, long? expected)
    {
        var change = new ChangeGroupMembersRequest { GroupId = group, Reason = "roster" };
        change.Upsert.Add(new GroupMember { PatientId = patient });
        if (expected is { } revision)
        {
            change.ExpectedRevision = revision;
        }
        return change;
    }

    [Fact]
    public async Task Group_change_applies_only_at_the_expected_revision()
    {
        var created = (await _admin.ChangeGroupMembersAsync(Add("pre-ward", "pre-1", expected: 0))).Revision;
        var second = (await _admin.ChangeGroupMembersAsync(Add("pre-ward", "pre-2", expected: created))).Revision;

        // A second admin who still holds the first revision is refused, and the group is unchanged.
        var stale = await Assert.ThrowsAsync<RpcException>(async () => await _admin.ChangeGroupMembersAsync(Add("pre-ward", "pre-3", expected: created)));
        Assert.Equal(StatusCode.FailedPrecondition, stale.StatusCode);
        Assert.Contains($"revision {second}", stale.Status.Detail);
        var paths = (await _admin.WhoCanSeeAsync(new WhoCanSeeRequest { PatientId = "pre-3" })).Paths;
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/pre-lead", "Group/pre-ward"));
        Assert.DoesNotContain(paths, p => p.Via == "Group/pre-ward");
        Assert.DoesNotContain((await _admin.WhoCanSeeAsync(new WhoCanSeeRequest { PatientId = "pre-3" })).Paths, p => p.Via == "Group/pre-ward");

        // "Must not exist yet" is expected revision 0.
        var exists = await Assert.ThrowsAsync<RpcException>(async () => await _admin.ChangeGroupMembersAsync(Add("pre-ward", "pre-4", expected: 0)));
        Assert.Equal(StatusCode.FailedPrecondition, exists.StatusCode);
    }

    [Fact]
    public async Task Grant_and_revoke_check_the_principals_last_change()
    {
        var first = await _admin.CreateGrantAsync(WithExpected(Requests.Grant("Practitioner/pre-gp", "Patient/pre-a"), 0));
        var stale = await Assert.ThrowsAsync<RpcException>(async () =>
            await _admin.CreateGrantAsync(WithExpected(Requests.Grant("Practitioner/pre-gp", "Patient/pre-b"), 0)));
        Assert.Equal(StatusCode.FailedPrecondition, stale.StatusCode);
        Assert.Single((await _admin.ListGrantsAsync(new ListGrantsRequest { Principal = "Practitioner/pre-gp" })).Grants);

        var revoke = new RevokeGrantRequest { GrantId = first.Grant.Id, Principal = "Practitioner/pre-gp", Reason = "left", ExpectedRevision = first.Revision - 1 };
        Assert.Equal(StatusCode.FailedPrecondition, (await Assert.ThrowsAsync<RpcException>(async () => await _admin.RevokeGrantAsync(revoke))).StatusCode);
        revoke.ExpectedRevision = first.Revision;
        Assert.True((await _admin.RevokeGrantAsync(revoke)).Revision > first.Revision);
    }

    private static CreateGrantRequest WithExpected(CreateGrantRequest request, long expected)
    {
        request.ExpectedRevision = expected;
        return request;
    }
}
