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
            var revision = await ChangeLog.RecordAsync(db, "group.members-changed", SetReference(groupId),
                before: null, after: new { added = upserts, removed = removals }, actor, reason, at, cancellationToken, expectedRevision);
            var touched = upserts.Select(u => u.PatientId).Concat(removals).ToList();
            var existing = await db.GroupMembers
                .Where(m => m.GroupId == groupId && touched.Contains(m.PatientId))
                .ToDictionaryAsync(m => m.PatientId, cancellationToken);
            foreach (var membership in upserts)
            {
                if (!existing.TryGetValue(membership.PatientId, out var row))
                {
                    row = new GroupMemberRow { GroupId = groupId, PatientId = membership.PatientId };
                    db.GroupMembers.Add(row);
                }
                row.PeriodStart = membership.PeriodStart;
                row.PeriodEnd = membership.PeriodEnd;
                row.Revision = revision;
            }
            db.GroupMembers.RemoveRange(removals.Where(existing.ContainsKey).Select(p => existing[p]));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return revision;
        });

    /// <summary>
    /// The reference of the set a key names: a bare id is a Group's; an Organization's patients are
    /// keyed by the full <c>Organization/id</c> (see PatientSets in the grain abstractions).
    /// </summary>
    public static string SetReference(string key) => key.Contains('/') ? key : $"Group/{key}";
}
