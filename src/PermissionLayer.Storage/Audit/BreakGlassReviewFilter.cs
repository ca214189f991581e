namespace PermissionLayer.Storage.Audit;

/// <summary>What is asked of the review log; every set field narrows (AND). Results come in review order.</summary>
public sealed record BreakGlassReviewFilter
{
    public Guid? DecisionId { get; init; }
    /// <summary>The reviewer as recorded (<c>key:&lt;name&gt;/&lt;id&gt;</c>).</summary>
    public string? Reviewer { get; init; }
    public DateTimeOffset? From { get; init; }
    /// <summary>Exclusive.</summary>
    public DateTimeOffset? To { get; init; }
    /// <summary>Resume after this (reviewed_at, review_id).</summary>
    public AuditCursor? After { get; init; }
    /// <summary>Most rows to return; 0 means all.</summary>
    public int Limit { get; init; }
}
