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
        var existing = await db.CareTeams.SingleOrDefaultAsync(t => t.Id == team.CareTeamId, cancellationToken);
        if (existing is not null && existing.SubjectPatientId == team.SubjectPatientId && existing.Status == status
            && existing.PeriodStart == team.PeriodStart && existing.PeriodEnd == team.PeriodEnd
            && existing.Participants.Order(StringComparer.Ordinal).SequenceEqual(participants))
        {
            return new ImportOutcome(reference, "unchanged", participants.Count, 0);
        }
        var after = new { team.SubjectPatientId, Status = status, team.PeriodStart, team.PeriodEnd, Participants = participants, team.VersionId };
        var before = existing is null ? null : new { existing.SubjectPatientId, existing.Status, existing.PeriodStart, existing.PeriodEnd, existing.Participants };
        var revision = await ChangeLog.RecordAsync(db, "careteam.imported", reference, before, after, actor, reason, at, cancellationToken);
        if (existing is null)
        {
            existing = new CareTeamRow { Id = team.CareTeamId, SubjectPatientId = team.SubjectPatientId, Status = status };
            db.CareTeams.Add(existing);
        }
        var outcome = existing.Revision == 0 ? "created" : "replaced";
        existing.SubjectPatientId = team.SubjectPatientId;
        existing.Status = status;
        existing.PeriodStart = team.PeriodStart;
        existing.PeriodEnd = team.PeriodEnd;
        existing.Participants = [.. participants];
        existing.Revision = revision;
        await db.SaveChangesAsync(cancellationToken);
        return new ImportOutcome(reference, outcome, participants.Count, revision);
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
