namespace PermissionLayer.Storage.Grants;

/// <summary>A grant as stored. Revoked grants stay (with <see cref="RevokedAt"/>) for the change history.</summary>
public sealed class GrantRow
{
    public Guid Id { get; set; }
    public required string Principal { get; set; }
    public required string Target { get; set; }
    /// <summary>The <c>cruds</c> letters, in order.</summary>
    public required string Actions { get; set; }
    public string[] ResourceTypes { get; set; } = [];
    public string[] Purposes { get; set; } = [];
    /// <summary>Confidentiality ceiling (U, L, M, N, R, V) this grant clears the holder for; null: none stated.</summary>
    public string? Clearance { get; set; }
    /// <summary>Sensitivity categories (HIV, PSY, ...) this grant explicitly allows.</summary>
    public string[] SensitivityCategories { get; set; } = [];
    /// <summary>Whether the holder may ask for break-the-glass access through this grant.</summary>
    public bool BreakGlass { get; set; }
    public DateTimeOffset ValidFrom { get; set; }
    public DateTimeOffset? ValidUntil { get; set; }
    public required string Reason { get; set; }
    public required string GrantedBy { get; set; }
    public long Revision { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public long? RevokedRevision { get; set; }
    public string? RevokeReason { get; set; }
    public string? RevokedBy { get; set; }
    /// <summary>
    /// The imported resource the grant stands for (e.g. <c>List/panel-dr-smith</c>), so that a newer
    /// version of it replaces exactly the grants it made; null for grants made by hand.
    /// </summary>
    public string? Source { get; set; }
}
