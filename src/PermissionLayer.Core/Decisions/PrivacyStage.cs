using PermissionLayer.Core.Labels;

namespace PermissionLayer.Core.Decisions;

/// <summary>
/// The consent and label terms' reasons, the labels a search must exclude, and break-the-glass when
/// honoured; <see cref="Clearance"/> is the one the label term judged by (null when break-the-glass lifted it).
/// </summary>
public sealed record PrivacyStage(IReadOnlyList<DecisionReason> Reasons, IReadOnlyList<string> ExcludedLabels, BreakGlass? BreakGlass)
{
    public Clearance? Clearance { get; init; }
}
