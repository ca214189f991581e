using PermissionLayer.Core.Decisions;

namespace PermissionLayer.Grains.Decisions;

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

/// <summary>Emergency access in effect: the user's reason and purpose, and what it lifted.</summary>
public sealed record BreakGlass(string Reason, string Purpose, IReadOnlyList<string> Lifted)
{
    public static readonly IReadOnlySet<string> Purposes = new HashSet<string>(StringComparer.Ordinal) { "BTG", "ETREAT" };

    public string Notice => Lifted.Count == 0
        ? $"Break-the-glass access ({Purpose}): nothing was withheld from you this time, and the access is recorded for review."
        : $"Break-the-glass access ({Purpose}): the patient's consent or data sensitivity would have withheld this; the access is recorded for review.";
}
