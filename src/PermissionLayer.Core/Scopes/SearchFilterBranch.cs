namespace PermissionLayer.Core.Scopes;

/// <summary>
/// One OR branch of a <see cref="SearchFilter"/>, from one scope: resources of
/// <see cref="ResourceType"/> (<c>*</c>: any) within the compartment of
/// <see cref="CompartmentPatient"/> (patient/ scopes; null otherwise) AND every constraint.
/// </summary>
public sealed record SearchFilterBranch(string Scope, ScopeContext Context, string ResourceType, string? CompartmentPatient, IReadOnlyList<ScopeConstraint> AllOf)
{
    public override string ToString()
    {
        var parts = new List<string>();
        if (ResourceType != ResourceScope.AnyType)
        {
            parts.Add($"type={ResourceType}");
        }
        if (CompartmentPatient is not null)
        {
            parts.Add($"compartment=Patient/{CompartmentPatient}");
        }
        parts.AddRange(AllOf.Select(c => c.ToString()));
        return parts.Count == 0 ? "(any)" : string.Join(" AND ", parts);
    }
}
