using PermissionLayer.Core.Entitlements;
using PermissionLayer.Core.References;
using PermissionLayer.Core.Requests;

namespace PermissionLayer.Core.Decisions;

/// <summary>
/// A token's <c>fhirContext</c> Groups narrow it to their members: the group-level delegation that
/// SMART lacks. Other fhirContext references (an Encounter, an ImagingStudy) do not narrow. The same
/// rule narrows a Group-level <c>$export</c> to its group.
/// </summary>
public static class ContextGroups
{
    /// <summary>The ids of the token's fhirContext Groups; a reference that is not <c>Type/id</c> is INVALID_ARGUMENT.</summary>
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

    /// <summary>
    /// The request term: every touched patient must be in one of the groups (<paramref name="inside"/>:
    /// the touched patients the groups hold at the instant). A request that names no patient is denied:
    /// a narrowed token reaches only its groups' patients. Null when no group narrows.
    /// </summary>
    public static DecisionReason? Reason(IReadOnlyList<string> groups, IReadOnlyList<string> patients, IReadOnlySet<string> inside)
    {
        if (groups.Count == 0)
        {
            return null;
        }
        var names = Names(groups);
        var outside = patients.FirstOrDefault(p => !inside.Contains(p));
        return outside is null && patients.Count > 0
            ? DecisionReason.Permit(DecisionTerm.Request, "context.group", $"every patient is a member of the token's fhirContext {names}", names)
            : DecisionReason.Deny(DecisionTerm.Request, "context.outside-group",
                outside is null
                    ? $"the token is narrowed to {names}, and the request names no patient"
                    : $"Patient/{outside} is not a member of the token's fhirContext {names}", names);
    }

    /// <summary>The groups' members (at the instant) as a reach, to intersect with the entitlement terms; null when no group narrows.</summary>
    public static ReachablePatients? Reach(IReadOnlyList<string> groups, IEnumerable<string> members) =>
        groups.Count == 0
            ? null
            : new ReachablePatients(false, [.. members.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)], [.. groups.Select(g => $"Group/{g}")]);

    private static string Names(IReadOnlyList<string> groups) => string.Join(", ", groups.Select(g => $"Group/{g}"));
}
