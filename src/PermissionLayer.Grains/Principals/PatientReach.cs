using PermissionLayer.Core.Entitlements;
using PermissionLayer.Grains.Abstractions.CareTeams;
using PermissionLayer.Grains.Abstractions.Groups;
using PermissionLayer.Grains.Abstractions.Principals;

namespace PermissionLayer.Grains.Principals;

/// <summary>
/// Finds, for each patient of a question, the grant through which the principal reaches them, or
/// explains why none does. Direct and all-patient grants are answered from memory; group and organization grants ask
/// the set's grain (one call per group, for all still-unreached patients at once); grants to care
/// teams ask the team's grain for its subject, and care teams the principal is on ask the team's grain
/// whether the principal takes part at the instant (the team's own state decides).
/// </summary>
internal sealed class PatientReach(
    string principal, GrantBook grants, CareTeamParticipation careTeams, DataActions required,
    AccessQuestion question, GrainReferences grainFactory)
{
    public async Task<IReadOnlyList<PatientAccess>> ExplainAsync()
    {
        var reached = new Dictionary<string, PatientAccess>(StringComparer.Ordinal);
        // Only the broad grants are filtered up front; a patient's own grants are looked up by patient.
        var applicable = grants.Broad.Where(Applies).ToList();
        foreach (var patient in question.Patients.Distinct(StringComparer.Ordinal))
        {
            if (Direct(patient, applicable) is { } access)
            {
                reached[patient] = access;
            }
        }
        foreach (var (grant, set) in applicable.Select(g => (g, PatientSets.KeyOf(g.Target))).Where(p => p.Item2 is not null))
        {
            var pending = question.Patients.Where(p => !reached.ContainsKey(p)).Distinct(StringComparer.Ordinal).ToList();
            if (pending.Count == 0)
            {
                break;
            }
            var members = await grainFactory.Get<IGroupGrain>(set!).MembersAmong(pending, question.At);
            foreach (var member in members)
            {
                reached[member] = new PatientAccess(member, grant.Id, $"{grant.Describe()} reaches Patient/{member}, a member of {grant.Target}");
            }
        }
        await ReachThroughCareTeamsAsync(reached, applicable);
        return question.Patients.Select(p => reached.TryGetValue(p, out var access)
            ? access
            : new PatientAccess(p, null, $"no effective grant gives {principal} '{required.ToLetters()}' on Patient/{p}")).ToList();
    }

    private async Task ReachThroughCareTeamsAsync(Dictionary<string, PatientAccess> reached, IReadOnlyList<Grant> applicable)
    {
        var viaGrants = applicable.Where(g => g.Target.StartsWith("CareTeam/", StringComparison.Ordinal))
            .Select(g => (Team: g.Target["CareTeam/".Length..], Grant: (Grant?)g));
        var asParticipant = (required & ~CareTeamEntitlement.ParticipantActions) == 0
            ? careTeams.Teams.Select(t => (Team: t, Grant: (Grant?)null))
            : [];
        foreach (var (team, grant) in viaGrants.Concat(asParticipant))
        {
            if (question.Patients.All(reached.ContainsKey))
            {
                return;
            }
            // A grant to the team needs only the team in force; a participant must take part then.
            var subject = grant is null
                ? await careTeams.SubjectOfAsync(team)
                : await grainFactory.Get<ICareTeamGrain>(team).SubjectInForce(question.At);
            if (subject is null || reached.ContainsKey(subject) || !question.Patients.Contains(subject))
            {
                continue;
            }
            reached[subject] = grant is null
                ? new PatientAccess(subject, Guid.Empty, $"{principal} takes part in active CareTeam/{team} whose subject is Patient/{subject}")
                : new PatientAccess(subject, grant.Id, $"{grant.Describe()} reaches Patient/{subject}, the subject of CareTeam/{team}");
        }
    }

    private PatientAccess? Direct(string patient, IReadOnlyList<Grant> applicable)
    {
        // A patient using a portal is entitled to their own compartment, with no grant needed.
        if (principal == $"Patient/{patient}")
        {
            return new PatientAccess(patient, Guid.Empty, $"{principal} is the patient: own compartment");
        }
        var grant = grants.ToPatient(patient).FirstOrDefault(Applies) ?? applicable.FirstOrDefault(g => g.Target == GrantTarget.AllPatients);
        return grant is null ? null : new PatientAccess(patient, grant.Id, $"{grant.Describe()} reaches Patient/{patient}");
    }

    private bool Applies(Grant grant) =>
        grant.IsEffectiveAt(question.At) && grant.Covers(required, question.ResourceType, question.Purpose);
}
