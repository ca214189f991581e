using Npgsql;
using Microsoft.EntityFrameworkCore;
using PermissionLayer.Storage.Changes;

namespace PermissionLayer.Storage.Groups;

/// <summary>Group membership. Only the group's grain calls the write method.</summary>
public sealed class GroupStore(IDbContextFactory<PermissionLayerDbContext> contexts)
{
    public Task<IReadOnlyList<GroupMembership>> LoadAsync(string groupId, CancellationToken cancellationToken = default) =>
        StorageCall.RunAsync(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var rows = await db.GroupMembers.AsNoTracking().Where(m => m.GroupId == groupId).ToListAsync(cancellationToken);
            return (IReadOnlyList<GroupMembership>)rows.Select(r => new GroupMembership(r.PatientId, r.PeriodStart, r.PeriodEnd)).ToList();
        });

    /// <summary>
    /// Adds (or updates the period of) and removes members in one transaction with one revision.
    /// </summary>
    public Task<long> ChangeAsync(
        string groupId, IReadOnlyList<GroupMembership> upserts, IReadOnlyList<string> removals,
        string actor, string reason, DateTimeOffset at, long? expectedRevision = null, CancellationToken cancellationToken = default) =>
        StorageCall.RunAsync(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var revision = await ChangeInTransactionAsync(db, groupId, upserts, removals, actor, reason, at, expectedRevision, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return revision;
        });

    /// <summary>The write of <see cref="ChangeAsync"/> inside the caller's open transaction (an admin batch).</summary>
    internal static async Task<long> ChangeInTransactionAsync(
        PermissionLayerDbContext db, string groupId, IReadOnlyList<GroupMembership> upserts, IReadOnlyList<string> removals,
        string actor, string reason, DateTimeOffset at, long? expectedRevision, CancellationToken cancellationToken)
    {
        var revision = await ChangeLog.RecordAsync(db, "group.members-changed", SetReference(groupId), [ChangedEntity.SetOf(groupId)],
            before: null, after: new { added = upserts, removed = removals }, actor, reason, at, cancellationToken, expectedRevision);
        await db.SaveChangesAsync(cancellationToken); // the change row, with its revision
        // Upsert as delete-then-COPY of everyone touched; a patient listed twice keeps its last entry.
        var latest = upserts.GroupBy(u => u.PatientId, StringComparer.Ordinal).Select(g => g.Last()).ToList();
        var touched = latest.Select(u => u.PatientId).Concat(removals).Distinct(StringComparer.Ordinal).ToArray();
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"DELETE FROM group_members WHERE group_id = {groupId} AND patient_id = ANY({touched})", cancellationToken);
        await GroupMemberCopy.WriteAsync((NpgsqlConnection)db.Database.GetDbConnection(), groupId, latest, revision, cancellationToken);
        return revision;
    }

    /// <summary>
    /// The reference of the set a key names: a bare id is a Group's; an Organization's patients are
    /// keyed by the full <c>Organization/id</c> (see PatientSets in the grain abstractions).
    /// </summary>
    public static string SetReference(string key) => key.Contains('/') ? key : $"Group/{key}";
}
