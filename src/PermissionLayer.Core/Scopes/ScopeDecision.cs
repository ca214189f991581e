using PermissionLayer.Core.Decisions;

namespace PermissionLayer.Core.Scopes;

/// <summary>
/// The scope term's answer. <see cref="PermittingContexts"/> says which contexts had a permitting
/// scope: the entitlement terms depend on it (a patient/-only permit is checked against the launch
/// patient; a system/ permit has no user term).
/// </summary>
public sealed record ScopeDecision(Outcome Outcome, DecisionReason Reason, IReadOnlySet<ScopeContext> PermittingContexts, SearchFilter? Filter)
{
    public bool Permitted => Outcome == Outcome.Permit;
}
