using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Scopes;

namespace PermissionLayer.Grains.Decisions;

/// <summary>
/// A decision, the entitlement revision it was evaluated at, and for a permitted search the filter
/// and patient restriction the FHIR server must apply; <see cref="Privacy"/> when the consent and label
/// terms were asked (excluded labels, break-the-glass).
/// </summary>
public sealed record DecisionOutcome(
    Decision Decision, long Revision, SearchFilter? Filter = null, AccessiblePatients? Patients = null, PrivacyOutcome? Privacy = null)
{
    /// <summary>Break-the-glass was honoured; the audit flags the decision for review.</summary>
    public bool BreakGlass => Privacy?.BreakGlass is not null;
}
