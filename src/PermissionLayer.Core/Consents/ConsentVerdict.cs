using PermissionLayer.Core.Decisions;

namespace PermissionLayer.Core.Consents;

/// <summary>
/// The consent term's answer for one patient, as a reason (naming the consent and provision path that
/// decided), plus the security labels a search must exclude because a label-only deny applies to them.
/// </summary>
public sealed record ConsentVerdict(DecisionReason Reason, IReadOnlyList<string> ExcludedLabels)
{
    public bool Permitted => Reason.Outcome == Outcome.Permit;
}
