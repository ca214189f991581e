using PermissionLayer.Core.Labels;

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

    /// <summary>
    /// For a search: the clearance its results' labels must be within (the requester's for the patients
    /// it may return); null when break-the-glass lifted the label term, or for a request that is no search.
    /// </summary>
    public Clearance? SearchClearance { get; init; }

    /// <summary>
    /// For a search: the patients it may return whose consent may withhold a resource carried inside a
    /// result (asked as if the data could be of any type), so such a result needs a check.
    /// </summary>
    public IReadOnlyList<string> CarriedCheckPatients { get; init; } = [];
}
