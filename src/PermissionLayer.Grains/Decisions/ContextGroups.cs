using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.References;
using PermissionLayer.Core.Requests;
using PermissionLayer.Grains.Abstractions.Groups;
using PermissionLayer.Grains.Abstractions.Principals;

namespace PermissionLayer.Grains.Decisions;

/// <summary>
/// A token's <c>fhirContext</c> Groups narrow it to their members: the group-level delegation that
/// SMART lacks. Other fhirContext references (an Encounter, an ImagingStudy) do not narrow.
/// </summary>
internal static class ContextGroups
{
    public static IReadOnlyList<string> Of(TokenContext token)
    {
        var groups = new List<string>();
        foreach (var reference in token.FhirContext)
        {
            if (!FhirReference.TryParse(reference, out var parsed))
            {
                throw new RequestValidationException("token.fhir_context", $"'{reference}' is not a relative reference Type/id");
            }
            if (parsed.Value.Type == "Group")
            {
                groups.Add(parsed.Value.Id);
            }
        }
        return groups;
    }

    /// <summary>The request term: every touched patient must be in one of the context groups.</summary>
    public static async Task<DecisionReason?> EvaluateAsync(GrainReferences grains, IReadOnlyList<string> groups, IReadOnlyList<string> patients, DateTimeOffset at)
    {
        if (groups.Count == 0)
        {
            return null;
        }
        var inside = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            inside.UnionWith(await grains.Get<IGroupGrain>(group).MembersAmong(patients, at));
        }
        var names = string.Join(", ", groups.Select(g => $"Group/{g}"));
        var outside = patients.FirstOrDefault(p => !inside.Contains(p));
        return outside is null && patients.Count > 0
            ? DecisionReason.Permit(DecisionTerm.Request, "context.group", $"every patient is a member of the token's fhirContext {names}", names)
            : DecisionReason.Deny(DecisionTerm.Request, "context.outside-group",
                outside is null
                    ? $"the token is narrowed to {names}, and the request names no patient"
                    : $"Patient/{outside} is not a member of the token's fhirContext {names}", names);
    }

    /// <summary>The context groups' members as a reach, to intersect with the entitlement terms.</summary>
    public static async Task<ReachableSet?> ReachAsync(GrainReferences grains, IReadOnlyList<string> groups, DateTimeOffset at)
    {
        if (groups.Count == 0)
        {
            return null;
        }
        var members = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            members.UnionWith(await grains.Get<IGroupGrain>(group).Members(at));
        }
        return new ReachableSet(false, [.. members], [.. groups.Select(g => $"Group/{g}")]);
    }
}
