namespace PermissionLayer.Core.Decisions;

/// <summary>
/// Why one term decided as it did: a stable <see cref="Code"/> for machines, a <see cref="Message"/>
/// a privacy officer can read, and the <see cref="Source"/> (grant id, scope, consent provision).
/// </summary>
public sealed record DecisionReason(DecisionTerm Term, Outcome Outcome, string Code, string Message, string? Source = null)
{
    public static DecisionReason Permit(DecisionTerm term, string code, string message, string? source = null) =>
        new(term, Outcome.Permit, code, message, source);

    public static DecisionReason Deny(DecisionTerm term, string code, string message, string? source = null) =>
        new(term, Outcome.Deny, code, message, source);
}
