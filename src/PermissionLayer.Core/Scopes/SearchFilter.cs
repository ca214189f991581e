namespace PermissionLayer.Core.Scopes;

/// <summary>
/// The filter a FHIR server must apply inside its search, before paging, and also to
/// <c>_include</c>/<c>_revinclude</c> results: a resource may be returned when it matches ANY branch.
/// <see cref="Types"/> (for system-level searches) restricts the resource types; null means no restriction.
/// </summary>
public sealed record SearchFilter(IReadOnlyList<SearchFilterBranch> AnyOf, IReadOnlyList<string>? Types)
{
    public override string ToString() =>
        string.Join(" OR ", AnyOf.Select(b => b.ToString())) + (Types is null ? "" : $"; _type={string.Join(',', Types)}");
}
