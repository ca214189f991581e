namespace PermissionLayer.Core.Decisions;

/// <summary>
/// The intersection of the terms: permit only when every evaluated term permits. A decision with no
/// reasons is a deny, so that a forgotten term can never turn into a permit.
/// </summary>
public sealed record Decision(Outcome Outcome, IReadOnlyList<DecisionReason> Reasons)
{
    public static Decision Of(IReadOnlyList<DecisionReason> reasons)
    {
        var permit = reasons.Count > 0 && reasons.All(r => r.Outcome == Outcome.Permit);
        return new Decision(permit ? Outcome.Permit : Outcome.Deny, reasons);
    }

    /// <summary>The first deny reason, which is the one that decided a deny.</summary>
    public DecisionReason? DecidingDeny => Reasons.FirstOrDefault(r => r.Outcome == Outcome.Deny);
}
