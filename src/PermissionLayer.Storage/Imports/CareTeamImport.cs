using Microsoft.EntityFrameworkCore;
using PermissionLayer.Core.Imports;
using PermissionLayer.Storage.CareTeams;
using PermissionLayer.Storage.Changes;

namespace PermissionLayer.Storage.Imports;

/// <summary>Creates or replaces a care team from an imported CareTeam, inside the import's transaction.</summary>
internal static class CareTeamImport
{
    public static async Task<ImportOutcome> ApplyAsync(
        PermissionLayerDbContext db, ImportedCareTeam team, string actor, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var reference = $"CareTeam/{team.CareTeamId}";
        // A participant whose own period has already ended no longer takes part; one whose period is
        // still running does (the team's period bounds everyone).
        var participants = team.Participants.Where(p => p.PeriodEnd is null || p.PeriodEnd > at)
            .Select(p => p.Reference).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var status = Status(team.Status);
        var existing = await db.CareTeams.AsNoTracking().SingleOrDefaultAsync(t => t.Id == team.CareTeamId, cancellationToken);
        if (existing is not null && existing.SubjectPatientId == team.SubjectPatientId && existing.Status == status
            && existing.PeriodStart == team.PeriodStart && existing.PeriodEnd == team.PeriodEnd
            && existing.Participants.Order(StringComparer.Ordinal).SequenceEqual(participants))
        {
            return new ImportOutcome(reference, "unchanged", participants.Count, 0);
        }
        var row = new CareTeamRow
        {
            Id = team.CareTeamId, SubjectPatientId = team.SubjectPatientId, Status = status,
            PeriodStart = team.PeriodStart, PeriodEnd = team.PeriodEnd, Participants = [.. participants],
        };
        var stored = await CareTeamStore.PutInTransactionAsync(db, row, "careteam.imported", actor, reason, at, null, cancellationToken);
        return new ImportOutcome(reference, existing is null ? "created" : "replaced", participants.Count, stored.Revision);
    }

    private static string Status(CareTeamStatus status) => status switch
    {
        CareTeamStatus.Proposed => "proposed",
        CareTeamStatus.Active => "active",
        CareTeamStatus.Suspended => "suspended",
        CareTeamStatus.Inactive => "inactive",
        CareTeamStatus.EnteredInError => "entered-in-error",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown CareTeam status"),
    };
}
