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
            var sets = (await db.GroupMembers.AsNoTracking()
                    .Where(m => m.PatientId == patientId && (m.PeriodStart == null || m.PeriodStart <= at) && (m.PeriodEnd == null || m.PeriodEnd > at))
                    .Select(m => m.GroupId).ToListAsync(cancellationToken))
                .Select(GroupStore.SetReference).ToList();
            var teams = (await db.CareTeams.AsNoTracking().Where(t => t.SubjectPatientId == patientId).ToListAsync(cancellationToken))
                .Where(t => CareTeamEntitlement.InForce(t.Status, t.PeriodStart, t.PeriodEnd, at)).ToList();
            var targets = new List<string> { $"Patient/{patientId}", GrantTarget.AllPatients };
            targets.AddRange(sets);
            targets.AddRange(teams.Select(t => $"CareTeam/{t.Id}"));
            var grants = await db.Grants.AsNoTracking()
                .Where(g => targets.Contains(g.Target) && g.RevokedAt == null && g.ValidFrom <= at && (g.ValidUntil == null || g.ValidUntil > at))
                .OrderBy(g => g.Principal).ThenBy(g => g.Id)
                .ToListAsync(cancellationToken);
            var paths = grants.Select(g => new PatientAccessPath(g.Principal, g.Id, g.Target, g.Actions, g.ValidUntil, Explain(g, patientId))).ToList();
            paths.AddRange(teams.SelectMany(t => t.Participants.Select(p => new PatientAccessPath(
                p, null, $"CareTeam/{t.Id}", CareTeamEntitlement.ParticipantActions.ToLetters(), t.PeriodEnd,
                $"{p} participates in active CareTeam/{t.Id} whose subject is Patient/{patientId}"))));
            paths.Add(new PatientAccessPath($"Patient/{patientId}", null, $"Patient/{patientId}", "cruds", null, "the patient: own compartment"));
            return (IReadOnlyList<PatientAccessPath>)paths;
        });

    private static string Explain(GrantRow grant, string patientId) => grant.Target switch
    {
        GrantTarget.AllPatients => $"grant {grant.Id} gives {grant.Principal} every patient",
        var target when target == $"Patient/{patientId}" => $"grant {grant.Id} names Patient/{patientId}",
        var target when target.StartsWith("CareTeam/", StringComparison.Ordinal) => $"grant {grant.Id} reaches the subject of {target}",
        var target => $"grant {grant.Id} reaches the members of {target}, Patient/{patientId} among them",
    };
}
