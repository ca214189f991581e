namespace PermissionLayer.Core.Scopes;

/// <summary>
/// The filter a FHIR server must apply inside its search, before paging, and also to
/// <c>_include</c>/<c>_revinclude</c> results: a resource may be returned when it matches ANY branch.
/// <see cref="Types"/> (for system-level searches) restricts the resource types; null means no restriction.
/// </summary>
public sealed record SearchFilter(IReadOnlyList<SearchFilterBranch> AnyOf, IReadOnlyList<string>? Types)
{
    /// <summary>
    /// Whether applying this filter would drop resources a search confined to <paramref name="named"/>
    /// patients (by its own parameters) could match: a type restriction, a scope constraint, or a
    /// compartment other than one of those patients'.
    /// </summary>
    public bool ConfinesBeyond(IReadOnlySet<string> named) =>
        Types is not null || AnyOf.All(b => b.AllOf.Count > 0 || (b.CompartmentPatient is { } p && !(named.Count == 1 && named.Contains(p))));

    public override string ToString() =>
        string.Join(" OR ", AnyOf.Select(b => b.ToString())) + (Types is null ? "" : $"; _type={string.Join(',', Types)}");
}
