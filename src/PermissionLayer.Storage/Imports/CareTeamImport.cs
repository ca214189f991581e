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
        var participations = Participations(team, at);
        var status = Status(team.Status);
        var existing = await db.CareTeams.AsNoTracking().SingleOrDefaultAsync(t => t.Id == team.CareTeamId, cancellationToken);
        if (existing is not null && existing.SubjectPatientId == team.SubjectPatientId && existing.Status == status
            && existing.PeriodStart == team.PeriodStart && existing.PeriodEnd == team.PeriodEnd
            && Same(existing.Participations, participations))
        {
            return new ImportOutcome(reference, "unchanged", existing.Participants.Length, 0);
        }
        var row = new CareTeamRow
        {
            Id = team.CareTeamId, SubjectPatientId = team.SubjectPatientId, Status = status,
            PeriodStart = team.PeriodStart, PeriodEnd = team.PeriodEnd, Participations = participations,
        };
        var stored = await CareTeamStore.PutInTransactionAsync(db, row, "careteam.imported", actor, reason, at, null, cancellationToken);
        return new ImportOutcome(reference, existing is null ? "created" : "replaced", stored.Participants.Length, stored.Revision);
    }

    /// <summary>
    /// Every participation with its own period, checked at each decision (a locum loses access when
    /// theirs ends, a participant who starts next week has none today). One that has already ended can
    /// never count again and is left out; a participant listed twice keeps both periods.
    /// </summary>
    private static List<CareTeamParticipationRow> Participations(ImportedCareTeam team, DateTimeOffset at) =>
    [
        .. team.Participants.Where(p => p.PeriodEnd is null || p.PeriodEnd > at)
            .Select(p => new CareTeamParticipationRow { Member = p.Reference, PeriodStart = p.PeriodStart, PeriodEnd = p.PeriodEnd })
            .DistinctBy(p => (p.Member, p.PeriodStart, p.PeriodEnd)),
    ];

    private static bool Same(List<CareTeamParticipationRow> stored, List<CareTeamParticipationRow> imported) =>
        stored.Count == imported.Count
        && stored.Select(p => (p.Member, p.PeriodStart, p.PeriodEnd)).ToHashSet().SetEquals(imported.Select(p => (p.Member, p.PeriodStart, p.PeriodEnd)));

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
