using Microsoft.EntityFrameworkCore;
using Npgsql;
using PermissionLayer.Core.Imports;
using PermissionLayer.Storage.Changes;
using PermissionLayer.Storage.Groups;

namespace PermissionLayer.Storage.Imports;

/// <summary>
/// Replaces a Group's membership with an imported version, inside the import's transaction. The
/// Group resource is the truth: members absent from it are removed. Large groups go through binary
/// COPY (a 100,000-member group is one COPY, not 100,000 INSERTs).
/// </summary>
internal static class GroupImport
{
    public static async Task<ImportOutcome> ApplyAsync(
        PermissionLayerDbContext db, ImportedGroup group, string actor, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var reference = $"Group/{group.GroupId}";
        var members = Effective(group);
        var existing = await db.GroupMembers.AsNoTracking().Where(m => m.GroupId == group.GroupId)
            .Select(m => new ImportedMember(m.PatientId, m.PeriodStart, m.PeriodEnd, false)).ToListAsync(cancellationToken);
        if (existing.Count == members.Count && existing.ToHashSet().SetEquals(members))
        {
            return new ImportOutcome(reference, "unchanged", members.Count, 0);
        }
        var revision = await ChangeLog.RecordAsync(db, "group.imported", reference, [ChangedEntity.SetOf(group.GroupId)],
            before: new { members = existing.Count },
            after: new { members = members.Count, versionId = group.VersionId, lastUpdated = group.LastUpdated, active = group.Active },
            actor, reason, at, cancellationToken);
        await db.SaveChangesAsync(cancellationToken); // the change row, with its revision
        await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM group_members WHERE group_id = {group.GroupId}", cancellationToken);
        await GroupMemberCopy.WriteAsync((NpgsqlConnection)db.Database.GetDbConnection(), group.GroupId,
            members.Select(m => new GroupMembership(m.PatientId, m.PeriodStart, m.PeriodEnd)), revision, cancellationToken);
        return new ImportOutcome(reference, existing.Count == 0 ? "created" : "replaced", members.Count, revision);
    }

    /// <summary>
    /// The members that count: none for an inactive Group; entries flagged inactive are left out; a
    /// patient listed twice keeps its first entry.
    /// </summary>
    private static List<ImportedMember> Effective(ImportedGroup group) => !group.Active
        ? []
        : group.Members.Where(m => !m.Inactive).DistinctBy(m => m.PatientId, StringComparer.Ordinal)
            .Select(m => m with { Inactive = false }).ToList();
}
