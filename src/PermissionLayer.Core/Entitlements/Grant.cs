namespace PermissionLayer.Core.Entitlements;

/// <summary>
/// A grant: <see cref="Principal"/> may perform <see cref="Actions"/> on the patients that
/// <see cref="Target"/> reaches, optionally only for some resource types and purposes, within a
/// validity window. Expiry needs nobody to act: <see cref="IsEffectiveAt"/> is evaluated per decision.
/// </summary>
public sealed record Grant
{
    public required Guid Id { get; init; }
    public required string Principal { get; init; }
    public required GrantTarget Target { get; init; }
    public required DataActions Actions { get; init; }
    public IReadOnlyList<string> ResourceTypes { get; init; } = [];
    public IReadOnlyList<string> Purposes { get; init; } = [];
    /// <summary>The confidentiality ceiling (U..V) this grant clears its holder for; null states none (N applies).</summary>
    public string? Clearance { get; init; }
    /// <summary>Sensitivity categories (HIV, PSY, ...) this grant explicitly allows its holder to see.</summary>
    public IReadOnlyList<string> SensitivityCategories { get; init; } = [];
    /// <summary>Whether this grant lets its holder ask for break-the-glass access (purpose BTG or ETREAT and a reason).</summary>
    public bool BreakGlass { get; init; }
    public DateTimeOffset ValidFrom { get; init; }
    public DateTimeOffset? ValidUntil { get; init; }
    public required string Reason { get; init; }
    public required string GrantedBy { get; init; }
    public long Revision { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>In force at <paramref name="instant"/>: started, not ended (exclusive), not revoked.</summary>
    public bool IsEffectiveAt(DateTimeOffset instant) =>
        RevokedAt is null && ValidFrom <= instant && (ValidUntil is null || instant < ValidUntil);

    /// <summary>Whether the grant's actions, type limit and purpose limit cover the request.</summary>
    public bool Covers(DataActions required, string? resourceType, string? purpose) =>
        (Actions & required) == required
        && (ResourceTypes.Count == 0 || (resourceType is not null && ResourceTypes.Contains(resourceType)))
        && (Purposes.Count == 0 || (purpose is not null && Purposes.Contains(purpose)));

    /// <summary>A short human description, used in decision reasons.</summary>
    public string Describe() => $"grant {Id} ({Principal} → {Target}, {Actions.ToLetters()})";
}
