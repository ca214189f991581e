using PermissionLayer.Core.References;

namespace PermissionLayer.Core.Entitlements;

/// <summary>What a grant reaches: one patient, a Group's or CareTeam's patients, an Organization's patients, or all.</summary>
public static class GrantTarget
{
    /// <summary>The target that reaches every patient.</summary>
    public const string AllPatients = "*";

    public static readonly IReadOnlySet<string> Types =
        new HashSet<string>(StringComparer.Ordinal) { "Patient", "Group", "CareTeam", "Organization" };

    /// <summary>Validates a target string, returning an error message naming the problem, or null.</summary>
    public static string? Validate(string? target)
    {
        if (target == AllPatients)
        {
            return null;
        }
        if (!FhirReference.TryParse(target, out var reference))
        {
            return $"target '{target}' is not of the form Type/id or '*'";
        }
        return Types.Contains(reference.Value.Type)
            ? null
            : $"target type '{reference.Value.Type}' is not one of {string.Join(", ", Types)} (or '*')";
    }
}
