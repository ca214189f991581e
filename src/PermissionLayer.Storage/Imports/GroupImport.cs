using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using PermissionLayer.Core.Imports;
using PermissionLayer.Storage.Changes;

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
        var revision = await ChangeLog.RecordAsync(db, "group.imported", reference,
            before: new { members = existing.Count },
            after: new { members = members.Count, versionId = group.VersionId, lastUpdated = group.LastUpdated, active = group.Active },
            actor, reason, at, cancellationToken);
        await db.SaveChangesAsync(cancellationToken); // the change row, with its revision
        await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM group_members WHERE group_id = {group.GroupId}", cancellationToken);
        await CopyAsync((NpgsqlConnection)db.Database.GetDbConnection(), group.GroupId, members, revision, cancellationToken);
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

    private static async Task CopyAsync(
        NpgsqlConnection connection, string groupId, IReadOnlyList<ImportedMember> members, long revision, CancellationToken cancellationToken)
    {
        // The COPY runs on the EF Core connection, so it belongs to the import's open transaction.
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY group_members (group_id, patient_id, period_start, period_end, revision) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var member in members)
        {
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(groupId, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(member.PatientId, NpgsqlDbType.Text, cancellationToken);
            await WriteInstantAsync(copy, member.PeriodStart, cancellationToken);
            await WriteInstantAsync(copy, member.PeriodEnd, cancellationToken);
            await copy.WriteAsync(revision, NpgsqlDbType.Bigint, cancellationToken);
        }
        await copy.CompleteAsync(cancellationToken);
    }

    private static Task WriteInstantAsync(NpgsqlBinaryImporter copy, DateTimeOffset? instant, CancellationToken cancellationToken) =>
        instant is { } value
            ? copy.WriteAsync(value.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken)
            : copy.WriteNullAsync(cancellationToken);
}
