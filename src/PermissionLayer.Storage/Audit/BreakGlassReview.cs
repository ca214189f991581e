namespace PermissionLayer.Storage.Audit;

/// <summary>
/// A privacy officer's verdict on one break-the-glass decision: whether the emergency access was
/// justified, with a note, by whom (the reviewer's API key) and when. Reviews are final and append-only.
/// </summary>
public sealed record BreakGlassReview(
    Guid ReviewId, Guid DecisionId, DateTimeOffset DecidedAt, DateTimeOffset ReviewedAt, string Reviewer, bool Justified, string Note)
{
    public const string JustifiedVerdict = "justified";
    public const string UnjustifiedVerdict = "unjustified";

    public string Verdict => Justified ? JustifiedVerdict : UnjustifiedVerdict;
}
