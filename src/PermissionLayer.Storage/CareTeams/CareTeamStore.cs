using Microsoft.EntityFrameworkCore;
using PermissionLayer.Storage.Changes;

namespace PermissionLayer.Storage.CareTeams;

/// <summary>Care teams. Only the care team's grain calls the write method.</summary>
public sealed class CareTeamStore(IDbContextFactory<PermissionLayerDbContext> contexts)
{
    public Task<CareTeamRow?> LoadAsync(string id, CancellationToken cancellationToken = default) =>
        StorageCall.RunAsync(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            return await db.CareTeams.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        });

    /// <summary>Ids of the care teams that name <paramref name="participant"/>.</summary>
    public Task<IReadOnlyList<string>> TeamsOfAsync(string participant, CancellationToken cancellationToken = default) =>
        StorageCall.RunAsync(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            return (IReadOnlyList<string>)await db.CareTeams.AsNoTracking()
                .Where(t => t.Participants.Contains(participant)).Select(t => t.Id).ToListAsync(cancellationToken);
        });

    /// <summary>
    /// Creates or replaces a care team, with its change record; returns the stored row.
    /// <see cref="CareTeamRow.Participants"/> is derived from the participations.
    /// </summary>
    public Task<CareTeamRow> PutAsync(
        CareTeamRow team, string actor, string reason, DateTimeOffset at, long? expectedRevision = null, CancellationToken cancellationToken = default) =>
        StorageCall.RunAsync(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var stored = await PutInTransactionAsync(db, team, "careteam.put", actor, reason, at, expectedRevision, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return stored;
        });

    /// <summary>The write of <see cref="PutAsync"/> inside the caller's open transaction (an import), recorded as <paramref name="kind"/>.</summary>
    internal static async Task<CareTeamRow> PutInTransactionAsync(
        PermissionLayerDbContext db, CareTeamRow team, string kind, string actor, string reason, DateTimeOffset at,
        long? expectedRevision, CancellationToken cancellationToken)
    {
        var existing = await db.CareTeams.SingleOrDefaultAsync(t => t.Id == team.Id, cancellationToken);
        // The team, and every principal it named or now names: their lists of teams change.
        var entities = (existing?.Participants ?? []).Concat(MembersOf(team.Participations))
            .Select(ChangedEntity.PrincipalOf).Prepend(ChangedEntity.TeamOf(team.Id)).ToList();
        var revision = await ChangeLog.RecordAsync(db, kind, $"CareTeam/{team.Id}", entities,
            before: existing is null ? null : Snapshot(existing), after: Snapshot(team), actor, reason, at, cancellationToken, expectedRevision);
        if (existing is null)
        {
            existing = new CareTeamRow { Id = team.Id, SubjectPatientId = team.SubjectPatientId, Status = team.Status };
            db.CareTeams.Add(existing);
        }
        existing.SubjectPatientId = team.SubjectPatientId;
        existing.Status = team.Status;
        existing.PeriodStart = team.PeriodStart;
        existing.PeriodEnd = team.PeriodEnd;
        existing.Participations = [.. team.Participations.Select(p => new CareTeamParticipationRow { Member = p.Member, PeriodStart = p.PeriodStart, PeriodEnd = p.PeriodEnd })];
        existing.Participants = MembersOf(team.Participations);
        existing.Revision = revision;
        await db.SaveChangesAsync(cancellationToken);
        return existing;
    }

    /// <summary>Each member of the participations once, in order: the column a principal finds its teams by.</summary>
    private static string[] MembersOf(IEnumerable<CareTeamParticipationRow> participations) =>
        [.. participations.Select(p => p.Member).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    private static object Snapshot(CareTeamRow t) => new
    {
        t.Id, t.SubjectPatientId, t.Status, t.PeriodStart, t.PeriodEnd,
        Participants = t.Participations.Select(p => new { p.Member, p.PeriodStart, p.PeriodEnd }),
    };
}
