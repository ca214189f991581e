namespace PermissionLayer.Storage.Audit;

/// <summary>
/// What a privacy officer asks of the decision log; every set field narrows (AND). Results come in
/// time order and resume after <see cref="After"/>.
/// </summary>
public sealed record DecisionFilter
{
    /// <summary>Patient id, without <c>Patient/</c>.</summary>
    public string? Patient { get; init; }
    public string? FhirUser { get; init; }
    public string? ClientId { get; init; }
    /// <summary><c>permit</c> or <c>deny</c>.</summary>
    public string? Outcome { get; init; }
    public string? PurposeOfUse { get; init; }
    /// <summary>Only break-the-glass decisions.</summary>
    public bool BreakGlassOnly { get; init; }
    public DateTimeOffset? From { get; init; }
    /// <summary>Exclusive.</summary>
    public DateTimeOffset? To { get; init; }
    public AuditCursor? After { get; init; }
    /// <summary>Most rows to return; 0 means all.</summary>
    public int Limit { get; init; }
}
