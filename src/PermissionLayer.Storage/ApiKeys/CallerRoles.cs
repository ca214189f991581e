namespace PermissionLayer.Storage.ApiKeys;

/// <summary>The roles a caller can hold (DESIGN.md §5).</summary>
public static class CallerRoles
{
    /// <summary>A FHIR server asking decisions.</summary>
    public const string Pep = "pep";
    /// <summary>A security administrator changing entitlements.</summary>
    public const string Admin = "admin";
    /// <summary>A privacy officer reading the audit log.</summary>
    public const string Auditor = "auditor";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Pep, Admin, Auditor };
}
