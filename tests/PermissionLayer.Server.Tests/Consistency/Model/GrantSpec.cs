namespace PermissionLayer.Server.Tests.Consistency.Model;

/// <summary>
/// A generated grant, in the case's local names (<c>Practitioner/d0 → Group/g1</c>). An open start of
/// <see cref="Valid"/> is sent as no valid_from (the server starts it at wall time, before every instant).
/// </summary>
internal sealed record GrantSpec(
    int Key, string Principal, string Target, string Actions, IReadOnlyList<string> ResourceTypes, IReadOnlyList<string> Purposes,
    Window Valid, string? Clearance, IReadOnlyList<string> Categories, bool BreakGlass)
{
    /// <summary>Whether the grant's letters, type limit and purpose limit cover a request (README: grants).</summary>
    public bool Covers(string letters, string resourceType, string purpose) =>
        letters.All(Actions.Contains)
        && (ResourceTypes.Count == 0 || ResourceTypes.Contains(resourceType))
        && (Purposes.Count == 0 || Purposes.Contains(purpose));

    public bool HasPrivacyAttributes => Clearance is not null || Categories.Count > 0 || BreakGlass;

    public GrantSpec WithoutPrivacyAttributes() => this with { Clearance = null, Categories = [], BreakGlass = false };

    public override string ToString()
    {
        var parts = new List<string> { $"{Principal} → {Target} {Actions}" };
        if (ResourceTypes.Count > 0) parts.Add($"types [{string.Join(",", ResourceTypes)}]");
        if (Purposes.Count > 0) parts.Add($"purposes [{string.Join(",", Purposes)}]");
        if (!Valid.IsAlways) parts.Add($"valid {Valid}");
        if (Clearance is not null) parts.Add($"clearance {Clearance}");
        if (Categories.Count > 0) parts.Add($"categories [{string.Join(",", Categories)}]");
        if (BreakGlass) parts.Add("break_glass");
        return string.Join(", ", parts);
    }
}
