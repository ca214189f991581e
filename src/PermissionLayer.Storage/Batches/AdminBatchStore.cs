using Microsoft.EntityFrameworkCore;
using Npgsql;
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
/// fails (a precondition, a missing grant, the database) — none. Each write gets its own revision
/// and change row, in order, as if made one by one; but the batch is checked in memory under one
/// take of the revision lock (<see cref="BatchPlan"/>) and written set-based, so the lock that every
/// admin write waits for is held for a few round trips, not several per change.
/// </summary>
/// <remarks>
/// The caller's <c>cancellationToken</c> (its gRPC deadline or cancellation) reaches every command,
/// and is checked once more right before COMMIT: a caller that gave up gets
/// <see cref="BatchAbandonedException"/> and nothing is committed. COMMIT itself is not cancelled —
/// once sent, its outcome is reported, never left unknown by a cancellation racing it.
/// </remarks>
public sealed class AdminBatchStore(IDbContextFactory<PermissionLayerDbContext> contexts)
{
    public Task<IReadOnlyList<long>> ApplyAsync(IReadOnlyList<BatchWrite> writes, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        StorageCall.RunAsync(async () =>
        {
            try
            {
                await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                var log = await ChangeLog.LockForBatchAsync(db, [.. writes.Where(w => ExpectedRevisionOf(w) is not null).Select(SubjectOf)], cancellationToken);
                var revoked = writes.OfType<RevokeGrantWrite>().Select(r => r.GrantId).Distinct().ToList();
                var stored = revoked.Count == 0
                    ? []
                    : await db.Grants.Where(g => revoked.Contains(g.Id)).ToDictionaryAsync(g => g.Id, cancellationToken);
                var plan = BatchPlan.Of(writes, log, stored, at);
                db.AddRange(plan.Changes);
                db.Grants.AddRange(plan.Created);
                await db.SaveChangesAsync(cancellationToken);
                await WriteMembersAsync(db, plan.Members, cancellationToken);
                cancellationToken.ThrowIfCancellationRequested(); // the last moment a caller that gave up can still be spared
                await transaction.CommitAsync(CancellationToken.None);
                return plan.Revisions;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw new BatchAbandonedException(); // disposing the transaction rolled it back
            }
        });

    /// <summary>Every (set, patient) touched: one DELETE, then one COPY of those that end as members.</summary>
    private static async Task WriteMembersAsync(
        PermissionLayerDbContext db, IReadOnlyDictionary<(string Group, string Patient), GroupMemberWrite?> members, CancellationToken cancellationToken)
    {
        if (members.Count == 0)
        {
            return;
        }
        var groups = members.Keys.Select(k => k.Group).ToArray();
        var patients = members.Keys.Select(k => k.Patient).ToArray();
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            DELETE FROM group_members m USING unnest({groups}::text[], {patients}::text[]) AS t(group_id, patient_id)
            WHERE m.group_id = t.group_id AND m.patient_id = t.patient_id
            """, cancellationToken);
        await GroupMemberCopy.WriteAsync((NpgsqlConnection)db.Database.GetDbConnection(), members.Values.OfType<GroupMemberWrite>(), cancellationToken);
    }

    private static string SubjectOf(BatchWrite write) => write switch
    {
        CreateGrantWrite create => create.Grant.Principal,
        RevokeGrantWrite revoke => revoke.Principal,
        GroupMembersWrite group => GroupStore.SetReference(group.GroupKey),
        _ => throw new ArgumentOutOfRangeException(nameof(write), write, "unknown batch write"),
    };

    private static long? ExpectedRevisionOf(BatchWrite write) => write switch
    {
        CreateGrantWrite create => create.ExpectedRevision,
        RevokeGrantWrite revoke => revoke.ExpectedRevision,
        GroupMembersWrite group => group.ExpectedRevision,
        _ => null,
    };
}

/// <summary>A batch write refers to something that does not exist; the whole batch was rolled back.</summary>
public sealed class BatchTargetMissingException(string message) : Exception(message);
