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
    public DateTimeOffset ValidFrom { get; set; }
    public DateTimeOffset? ValidUntil { get; set; }
    public required string Reason { get; set; }
    public required string GrantedBy { get; set; }
    public long Revision { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public long? RevokedRevision { get; set; }
    public string? RevokeReason { get; set; }
    public string? RevokedBy { get; set; }
}
