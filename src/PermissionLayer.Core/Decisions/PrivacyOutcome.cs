namespace PermissionLayer.Core.Decisions;

/// <summary>
/// The consent and label terms of one decision: their reasons, the labels a search must exclude, and
/// whether break-the-glass was honoured (with the deny reasons it lifted).
/// </summary>
public sealed record PrivacyOutcome(
    IReadOnlyList<DecisionReason> Reasons,
    IReadOnlyList<string> ExcludedLabels,
    BreakGlass? BreakGlass)
{
    /// <summary>For a search that names no patient: the accessible patients after consent screening.</summary>
    public AccessiblePatients? Population { get; init; }

    /// <summary>The organizations the service knows the user holds a role at (imported PractitionerRoles), for the audit.</summary>
    public IReadOnlyList<string> UserOrganizations { get; init; } = [];
}
