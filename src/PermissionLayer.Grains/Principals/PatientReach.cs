using PermissionLayer.Core.Entitlements;
using PermissionLayer.Grains.Abstractions.Groups;
using PermissionLayer.Grains.Abstractions.Principals;

namespace PermissionLayer.Grains.Principals;

/// <summary>
/// Finds, for each patient of a question, the grant through which the principal reaches them, or
/// explains why none does. Direct and all-patient grants are answered from memory; group grants
/// ask the group's grain (one call per group, for all still-unreached patients at once).
/// </summary>
internal sealed class PatientReach(
    string principal, IReadOnlyList<Grant> grants, DataActions required, AccessQuestion question, IGrainFactory grainFactory)
{
    public async Task<IReadOnlyList<PatientAccess>> ExplainAsync()
    {
        var reached = new Dictionary<string, PatientAccess>(StringComparer.Ordinal);
        var applicable = grants
            .Where(g => g.IsEffectiveAt(question.At) && g.Covers(required, question.ResourceType, question.Purpose))
            .ToList();
        foreach (var patient in question.Patients.Distinct(StringComparer.Ordinal))
        {
            if (Direct(patient, applicable) is { } access)
            {
                reached[patient] = access;
            }
        }
        foreach (var grant in applicable.Where(g => g.Target.StartsWith("Group/", StringComparison.Ordinal)))
        {
            var pending = question.Patients.Where(p => !reached.ContainsKey(p)).Distinct(StringComparer.Ordinal).ToList();
            if (pending.Count == 0)
            {
                break;
            }
            var members = await grainFactory.GetGrain<IGroupGrain>(grant.Target["Group/".Length..]).MembersAmong(pending, question.At);
            foreach (var member in members)
            {
                reached[member] = new PatientAccess(member, grant.Id, $"{grant.Describe()} reaches Patient/{member}, a member of {grant.Target}");
            }
        }
        return question.Patients.Select(p => reached.TryGetValue(p, out var access)
            ? access
            : new PatientAccess(p, null, $"no effective grant gives {principal} '{required.ToLetters()}' on Patient/{p}")).ToList();
    }

    private PatientAccess? Direct(string patient, IReadOnlyList<Grant> applicable)
    {
        // A patient using a portal is entitled to their own compartment, with no grant needed.
        if (principal == $"Patient/{patient}")
        {
            return new PatientAccess(patient, Guid.Empty, $"{principal} is the patient: own compartment");
        }
        var target = $"Patient/{patient}";
        var grant = applicable.FirstOrDefault(g => g.Target == target || g.Target == GrantTarget.AllPatients);
        return grant is null ? null : new PatientAccess(patient, grant.Id, $"{grant.Describe()} reaches Patient/{patient}");
    }
}
