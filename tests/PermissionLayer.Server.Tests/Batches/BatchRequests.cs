using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;

namespace PermissionLayer.Server.Tests.Batches;

/// <summary>Builders for ApplyChanges requests: each change is the request of its single-change method.</summary>
internal static class BatchRequests
{
    public static BatchChange Grant(string principal, string target) => new() { CreateGrant = Requests.Grant(principal, target) };

    public static BatchChange Revoke(string principal, string grantId) =>
        new() { RevokeGrant = new RevokeGrantRequest { Principal = principal, GrantId = grantId, Reason = "handover" } };

    public static BatchChange Members(string group, IEnumerable<string> patients)
    {
        var change = new ChangeGroupMembersRequest { GroupId = group, Reason = "ward list" };
        change.Upsert.AddRange(patients.Select(p => new GroupMember { PatientId = p }));
        return new BatchChange { ChangeGroupMembers = change };
    }

    public static ApplyChangesRequest Batch(IEnumerable<BatchChange> changes)
    {
        var request = new ApplyChangesRequest();
        request.Changes.AddRange(changes);
        return request;
    }

    /// <summary><paramref name="count"/> grants, one principal each (<c>{prefix}-{i}</c>), each for its own patient.</summary>
    public static IEnumerable<BatchChange> Grants(string prefix, int count) =>
        Enumerable.Range(0, count).Select(i => Grant($"Practitioner/{prefix}-{i}", $"Patient/{prefix}-p{i}"));
}
