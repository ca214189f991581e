namespace PermissionLayer.Storage.Audit;

/// <summary>Narrows the admin change log; every set field must match.</summary>
public sealed record AdminChangeFilter
{
    public string? Actor { get; init; }
    public string? Target { get; init; }
    public string? Operation { get; init; }
    public DateTimeOffset? From { get; init; }
    /// <summary>Exclusive.</summary>
    public DateTimeOffset? To { get; init; }
    public AuditCursor? After { get; init; }
    public int Limit { get; init; }
}
