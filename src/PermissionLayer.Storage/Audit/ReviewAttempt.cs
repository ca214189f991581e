namespace PermissionLayer.Storage.Audit;

/// <summary>
/// What became of a review: recorded, or refused because there is no break-the-glass decision with
/// that id, or because the decision already has its (final) review.
/// </summary>
public enum ReviewAttempt
{
    Recorded,
    NoSuchBreakGlassDecision,
    AlreadyReviewed,
}
