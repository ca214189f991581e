using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Core.Requests;
using PermissionLayer.Grains.Abstractions.Groups;
using PermissionLayer.Grains.Batches;
using PermissionLayer.Storage.Batches;

namespace PermissionLayer.Server.Features.Admin;

/// <summary>Admin batches: several changes, all or nothing (see <see cref="AdminBatch"/>).</summary>
public sealed partial class AdminGrpcService
{
    public override async Task<ApplyChangesResponse> ApplyChanges(ApplyChangesRequest request, ServerCallContext context)
    {
        var items = request.Changes.Select((change, i) => ItemOf(change, i, context)).ToList();
        IReadOnlyList<long> revisions;
        try
        {
            // The call's token fires at the caller's deadline or cancellation; the batch honours it until COMMIT.
            revisions = await batch.ApplyAsync(items, context.CancellationToken);
        }
        catch (BatchAbandonedException e)
        {
            throw new RpcException(context.Deadline <= DateTime.UtcNow
                ? new Status(StatusCode.DeadlineExceeded, "the deadline passed before the batch committed; nothing was applied")
                : new Status(StatusCode.Cancelled, e.Message));
        }
        var response = new ApplyChangesResponse();
        response.Revisions.AddRange(revisions);
        return response;
    }

    /// <summary>The same mapping as the single-change methods, with errors naming the change.</summary>
    private static AdminBatchItem ItemOf(BatchChange change, int index, ServerCallContext context)
    {
        try
        {
            switch (change.ChangeCase)
            {
                case BatchChange.ChangeOneofCase.CreateGrant:
                    var (principal, draft) = DraftOf(change.CreateGrant, context);
                    return new CreateGrantItem(principal, draft);
                case BatchChange.ChangeOneofCase.RevokeGrant:
                    var revoke = change.RevokeGrant;
                    return new RevokeGrantItem(revoke.Principal, GrantIdOf(revoke), Actor(context), revoke.Reason,
                        revoke.HasExpectedRevision ? revoke.ExpectedRevision : null);
                case BatchChange.ChangeOneofCase.ChangeGroupMembers:
                    var group = change.ChangeGroupMembers;
                    RequireId(group.GroupId, "group_id");
                    return new GroupMembersItem(PatientSets.GroupKey(group.GroupId), MembersChange(group.Upsert, group.Remove, group.Reason, context,
                        group.HasExpectedRevision ? group.ExpectedRevision : null));
                default:
                    throw new RequestValidationException("change", "names no change");
            }
        }
        catch (RequestValidationException e)
        {
            throw new RequestValidationException($"changes[{index}].{e.Field}", e.Message[(e.Field.Length + 2)..]);
        }
    }
}
