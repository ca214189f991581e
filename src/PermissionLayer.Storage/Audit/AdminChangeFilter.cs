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
    /// <summary>Only changes after this revision (the cursor of the last entry received).</summary>
    public long? AfterRevision { get; init; }
    public int Limit { get; init; }
}
