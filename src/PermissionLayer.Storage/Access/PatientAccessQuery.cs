using Microsoft.EntityFrameworkCore;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Storage.Grants;
using PermissionLayer.Storage.Groups;

namespace PermissionLayer.Storage.Access;

/// <summary>
/// "Who can see Patient/P, and through which grant?" — the question auditors ask first. An admin
/// path, answered from PostgreSQL (the system of record) rather than by activating every grain.
/// It lists entitlements; a user still needs a client and scopes, and consent still applies.
/// </summary>
public sealed class PatientAccessQuery(IDbContextFactory<PermissionLayerDbContext> contexts)
{
    public Task<IReadOnlyList<PatientAccessPath>> WhoCanSeeAsync(string patientId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        StorageCall.RunAsync(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            // PostgreSQL only narrows the candidates by target; whether each is in force at the instant
            // is decided by the same rules the decision path applies (one rule, not a SQL copy of it).
            var sets = (await db.GroupMembers.AsNoTracking().Where(m => m.PatientId == patientId).ToListAsync(cancellationToken))
                .Where(m => new GroupMembership(m.PatientId, m.PeriodStart, m.PeriodEnd).IsEffectiveAt(at))
                .Select(m => GroupStore.SetReference(m.GroupId)).ToList();
            var teams = (await db.CareTeams.AsNoTracking().Where(t => t.SubjectPatientId == patientId).ToListAsync(cancellationToken))
                .Where(t => CareTeamEntitlement.InForce(t.Status, t.PeriodStart, t.PeriodEnd, at)).ToList();
            // Targets as the one target type spells them, so the SQL matches what grants store.
            var targets = new List<string> { new GrantTarget.Patient(patientId).ToString(), GrantTarget.Everyone.ToString() };
            targets.AddRange(sets);
            targets.AddRange(teams.Select(t => new GrantTarget.CareTeam(t.Id).ToString()));
            var grants = (await db.Grants.AsNoTracking().Where(g => targets.Contains(g.Target)).ToListAsync(cancellationToken))
                .Where(g => GrantMapping.ToGrant(g).IsEffectiveAt(at))
                .OrderBy(g => g.Principal, StringComparer.Ordinal).ThenBy(g => g.Id)
                .ToList();
            var paths = grants.Select(g => new PatientAccessPath(g.Principal, g.Id, g.Target, g.Actions, g.ValidUntil, Explain(g, patientId))).ToList();
            paths.AddRange(teams.SelectMany(t => ParticipantsInForce(t, at).Select(p => new PatientAccessPath(
                p.Member, null, $"CareTeam/{t.Id}", CareTeamEntitlement.ParticipantActions.ToLetters(), Earliest(t.PeriodEnd, p.PeriodEnd),
                $"{p.Member} participates in active CareTeam/{t.Id} whose subject is Patient/{patientId}"))));
            paths.Add(new PatientAccessPath($"Patient/{patientId}", null, $"Patient/{patientId}", "cruds", null, "the patient: own compartment"));
            return (IReadOnlyList<PatientAccessPath>)paths;
        });

    /// <summary>Each member taking part at the instant, once, with the participation that runs then.</summary>
    private static IEnumerable<CareTeamParticipant> ParticipantsInForce(CareTeams.CareTeamRow team, DateTimeOffset at) =>
        team.Participations.Select(p => new CareTeamParticipant(p.Member, p.PeriodStart, p.PeriodEnd))
            .Where(p => CareTeamEntitlement.ParticipantInForce(team.Status, team.PeriodStart, team.PeriodEnd, [p], p.Member, at))
            .DistinctBy(p => p.Member, StringComparer.Ordinal);

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private static string Explain(GrantRow grant, string patientId) => GrantTarget.Parse(grant.Target) switch
    {
        GrantTarget.EveryoneTarget => $"grant {grant.Id} gives {grant.Principal} every patient",
        GrantTarget.Patient patient => $"grant {grant.Id} names {patient}",
        GrantTarget.CareTeam team => $"grant {grant.Id} reaches the subject of {team}",
        var set => $"grant {grant.Id} reaches the members of {set}, Patient/{patientId} among them",
    };
}
