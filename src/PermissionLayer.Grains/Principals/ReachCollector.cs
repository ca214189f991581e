using PermissionLayer.Core.Entitlements;
using PermissionLayer.Grains.Abstractions.CareTeams;
using PermissionLayer.Grains.Abstractions.Groups;
using PermissionLayer.Grains.Abstractions.Principals;

namespace PermissionLayer.Grains.Principals;

/// <summary>
/// Collects the whole set of patients a principal reaches: its own compartment (a patient user),
/// direct grants, group members, care-team subjects (of teams a grant targets, and of teams the
/// principal takes part in at the instant, as each team answers). Any grant to all patients short-circuits.
/// </summary>
internal sealed class ReachCollector(
    string principal, IReadOnlyList<Grant> grants, CareTeamParticipation careTeams, DataActions required,
    string? resourceType, string? purpose, DateTimeOffset at, GrainReferences grainFactory)
{
    public async Task<ReachableSet> CollectAsync()
    {
        var applicable = grants.Where(g => g.IsEffectiveAt(at) && g.Covers(required, resourceType, purpose)).ToList();
        if (applicable.Any(g => g.Target == GrantTarget.AllPatients))
        {
            return ReachableSet.Everyone;
        }
        var patients = new HashSet<string>(StringComparer.Ordinal);
        var sets = new List<string>();
        if (principal.StartsWith("Patient/", StringComparison.Ordinal))
        {
            patients.Add(principal["Patient/".Length..]);
            sets.Add($"{principal}#self");
        }
        var direct = applicable.Where(g => g.Target.StartsWith("Patient/", StringComparison.Ordinal)).ToList();
        if (direct.Count > 0)
        {
            patients.UnionWith(direct.Select(g => g.Target["Patient/".Length..]));
            sets.Add($"{principal}#panel");
        }
        foreach (var set in applicable.Select(g => g.Target).Distinct())
        {
            if (PatientSets.KeyOf(set) is not { } key)
            {
                continue;
            }
            patients.UnionWith(await grainFactory.Get<IGroupGrain>(key).Members(at));
            sets.Add(set);
        }
        var viaGrants = applicable.Where(g => g.Target.StartsWith("CareTeam/", StringComparison.Ordinal))
            .Select(g => g.Target["CareTeam/".Length..]).Distinct(StringComparer.Ordinal);
        foreach (var team in viaGrants)
        {
            if (await grainFactory.Get<ICareTeamGrain>(team).SubjectInForce(at) is { } subject)
            {
                patients.Add(subject);
                sets.Add($"CareTeam/{team}");
            }
        }
        if ((required & ~CareTeamEntitlement.ParticipantActions) == 0)
        {
            foreach (var team in careTeams.Teams.Where(t => !sets.Contains($"CareTeam/{t}")))
            {
                if (await careTeams.SubjectOfAsync(team) is { } subject)
                {
                    patients.Add(subject);
                    sets.Add($"CareTeam/{team}");
                }
            }
        }
        return new ReachableSet(false, [.. patients.Order(StringComparer.Ordinal)], sets);
    }
}
