namespace PermissionLayer.Core.Decisions;

/// <summary>
/// Why one term decided as it did: a stable <see cref="Code"/> for machines, a <see cref="Message"/>
/// a privacy officer can read (kept in the audit), and the <see cref="Source"/> (grant id, scope,
/// consent provision). What the requester may be told is <see cref="UserSafeMessage"/>.
/// </summary>
public sealed record DecisionReason(DecisionTerm Term, Outcome Outcome, string Code, string Message, string? Source = null)
{
    /// <summary>A remark for the requester that discloses nothing (why break-the-glass did not apply), already part of <see cref="Message"/>.</summary>
    public string? Note { get; init; }

    public static DecisionReason Permit(DecisionTerm term, string code, string message, string? source = null) =>
        new(term, Outcome.Permit, code, message, source);

    public static DecisionReason Deny(DecisionTerm term, string code, string message, string? source = null) =>
        new(term, Outcome.Deny, code, message, source);
}
