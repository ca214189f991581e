namespace PermissionLayer.Core.Decisions;

/// <summary>The consent and label terms' reasons, the labels a search must exclude, and break-the-glass when honoured.</summary>
public sealed record PrivacyStage(IReadOnlyList<DecisionReason> Reasons, IReadOnlyList<string> ExcludedLabels, BreakGlass? BreakGlass);
