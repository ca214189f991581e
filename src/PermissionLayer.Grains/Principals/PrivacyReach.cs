using PermissionLayer.Core.Entitlements;
using PermissionLayer.Grains.Abstractions.CareTeams;
using PermissionLayer.Grains.Abstractions.Groups;

namespace PermissionLayer.Grains.Principals;

/// <summary>
/// Which of a principal's privacy-attributed grants reach which of the patients a request touches,
/// combined by <see cref="PrivacyProfile"/>: a grant's clearance, categories and break-the-glass count
/// only for the patients it reaches. Most principals hold no such grant, and then nothing is asked.
/// </summary>
internal static class PrivacyReach
{
    /// <summary>The profile about <paramref name="patients"/> (null: every patient, which only grants to everyone reach).</summary>
    public static async Task<PrivacyProfile> CommonAsync(
        GrantBook grants, DataActions required, string? resourceType, string? purpose, DateTimeOffset at,
        IReadOnlyCollection<string>? patients, GrainReferences references)
    {
        var covering = grants.WithPrivacyAttributes.Where(g => g.IsEffectiveAt(at) && g.Covers(required, resourceType, purpose)).ToList();
        if (covering.Count == 0)
        {
            return PrivacyProfile.Default;
        }
        var everyone = PrivacyProfile.Of(covering.Where(g => g.Target == GrantTarget.AllPatients));
        if (patients is null)
        {
            return everyone;
        }
        var touched = patients.Distinct(StringComparer.Ordinal).ToList();
        var reaching = touched.ToDictionary(p => p, _ => new List<Grant>(), StringComparer.Ordinal);
        foreach (var grant in covering)
        {
            foreach (var patient in await ReachedAsync(grant, touched, at, references))
            {
                if (reaching.TryGetValue(patient, out var list))
                {
                    list.Add(grant);
                }
            }
        }
        return PrivacyProfile.Common([.. reaching.Values.Select(PrivacyProfile.Of)], everyone);
    }

    private static async Task<IEnumerable<string>> ReachedAsync(Grant grant, IReadOnlyList<string> patients, DateTimeOffset at, GrainReferences references)
    {
        if (grant.Target == GrantTarget.AllPatients)
        {
            return patients;
        }
        if (grant.Target.StartsWith("Patient/", StringComparison.Ordinal))
        {
            return [grant.Target["Patient/".Length..]];
        }
        if (PatientSets.KeyOf(grant.Target) is { } set)
        {
            return await references.Get<IGroupGrain>(set).MembersAmong(patients, at);
        }
        if (grant.Target.StartsWith("CareTeam/", StringComparison.Ordinal)
            && await references.Get<ICareTeamGrain>(grant.Target["CareTeam/".Length..]).SubjectInForce(at) is { } subject)
        {
            return [subject];
        }
        return [];
    }
}
