namespace PermissionLayer.Server.Tests.Consistency.Model;

/// <summary>A nested Consent provision; each element is stated or not (null: matches anything).</summary>
internal sealed record ProvisionSpec(
    string Type, string? Actor, string? Action, string? Purpose, string? Class, string? Code, string? Label, Window Period,
    IReadOnlyList<ProvisionSpec> Children)
{
    public IEnumerable<ProvisionSpec> SelfAndDescendants() => Children.SelectMany(c => c.SelfAndDescendants()).Prepend(this);

    public string Describe()
    {
        var parts = new List<string>();
        if (Actor is not null) parts.Add($"actor {Actor}");
        if (Action is not null) parts.Add($"action {Action}");
        if (Purpose is not null) parts.Add($"purpose {Purpose}");
        if (Class is not null) parts.Add($"class {Class}");
        if (Code is not null) parts.Add($"code {Code}");
        if (Label is not null) parts.Add($"securityLabel {Label[(Label.LastIndexOf('/') + 1)..]}");
        if (!Period.IsAlways) parts.Add($"period {Period}");
        var own = $"{Type}{(parts.Count == 0 ? "" : $" ({string.Join(", ", parts)})")}";
        return Children.Count == 0 ? own : $"{own} {{ {string.Join("; ", Children.Select(c => c.Describe()))} }}";
    }
}
