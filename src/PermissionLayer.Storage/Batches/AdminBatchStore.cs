using Microsoft.EntityFrameworkCore;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Storage.Changes;
using PermissionLayer.Storage.Grants;
using PermissionLayer.Storage.Groups;

namespace PermissionLayer.Storage.Batches;

/// <summary>One write of an admin batch, already validated by the caller.</summary>
public abstract record BatchWrite;

public sealed record CreateGrantWrite(Grant Grant, long? ExpectedRevision) : BatchWrite;

public sealed record RevokeGrantWrite(Guid GrantId, string Principal, string Actor, string Reason, long? ExpectedRevision) : BatchWrite;

public sealed record GroupMembersWrite(
    string GroupKey, IReadOnlyList<GroupMembership> Upserts, IReadOnlyList<string> Removals, string Actor, string Reason, long? ExpectedRevision)
    : BatchWrite;

/// <summary>
/// Applies an admin batch in one PostgreSQL transaction: every write, or — on the first one that
/// fails (a precondition, a missing grant, the database) — none. Each write gets its own revision,
/// in order, as if made one by one.
/// </summary>
public sealed class AdminBatchStore(IDbContextFactory<PermissionLayerDbContext> contexts)
{
    public Task<IReadOnlyList<long>> ApplyAsync(IReadOnlyList<BatchWrite> writes, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        StorageCall.RunAsync(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var revisions = new List<long>();
            for (var i = 0; i < writes.Count; i++)
            {
                try
                {
                    revisions.Add(await ApplyOneAsync(db, writes[i], i, at, cancellationToken));
                }
                catch (RevisionPreconditionException e)
                {
                    throw new RevisionPreconditionException(e.Subject, e.Expected, e.Actual, $"changes[{i}]");
                }
            }
            await transaction.CommitAsync(cancellationToken);
            return (IReadOnlyList<long>)revisions;
        });

    private static async Task<long> ApplyOneAsync(PermissionLayerDbContext db, BatchWrite write, int i, DateTimeOffset at, CancellationToken cancellationToken) =>
        write switch
        {
            CreateGrantWrite create => (await GrantStore.CreateInTransactionAsync(db, create.Grant, at, create.ExpectedRevision, cancellationToken)).Revision,
            RevokeGrantWrite revoke => (await GrantStore.RevokeInTransactionAsync(
                    db, revoke.GrantId, revoke.Principal, revoke.Actor, revoke.Reason, at, revoke.ExpectedRevision, cancellationToken))?.Revision
                ?? throw new BatchTargetMissingException($"changes[{i}]: {revoke.Principal} has no active grant {revoke.GrantId}; nothing was applied"),
            GroupMembersWrite group => await GroupStore.ChangeInTransactionAsync(
                db, group.GroupKey, group.Upserts, group.Removals, group.Actor, group.Reason, at, group.ExpectedRevision, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(write), write, "unknown batch write"),
        };
}

/// <summary>A batch write refers to something that does not exist; the whole batch was rolled back.</summary>
public sealed class BatchTargetMissingException(string message) : Exception(message);
