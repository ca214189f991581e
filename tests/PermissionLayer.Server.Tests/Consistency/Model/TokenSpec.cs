namespace PermissionLayer.Server.Tests.Consistency.Model;

/// <summary>The token context a FHIR server would send, in local names.</summary>
internal sealed record TokenSpec(
    string Client, string? User, string Scope, string? Launch, string? Purpose, string? BreakGlassReason,
    IReadOnlyList<string> Context, IReadOnlyList<string> Affiliations)
{
    /// <summary>The deployment default purpose of use (Consent:DefaultPurposeOfUse).</summary>
    public const string DefaultPurpose = "TREAT";

    public string ClientPrincipal => $"Client/{Client}";

    /// <summary>Whose grants the privacy terms read: the user, or for a system token the client (README: labels).</summary>
    public string Holder => User ?? ClientPrincipal;

    public string EffectivePurpose => Purpose ?? DefaultPurpose;

    public bool AsksBreakGlass => Purpose is "BTG" or "ETREAT" && !string.IsNullOrWhiteSpace(BreakGlassReason);

    public override string ToString()
    {
        var parts = new List<string> { $"client {Client}", User is null ? "no fhirUser" : $"fhirUser {User}", $"scope \"{Scope}\"" };
        if (Launch is not null) parts.Add($"launch patient {Launch}");
        if (Purpose is not null) parts.Add($"purpose {Purpose}");
        if (BreakGlassReason is not null) parts.Add($"break_glass_reason \"{BreakGlassReason}\"");
        if (Context.Count > 0) parts.Add($"fhirContext [{string.Join(", ", Context)}]");
        if (Affiliations.Count > 0) parts.Add($"user_affiliations [{string.Join(", ", Affiliations)}]");
        return string.Join(", ", parts);
    }
}
