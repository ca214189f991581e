using PermissionLayer.Core.Scopes;

namespace PermissionLayer.Core.Decisions;

/// <summary>
/// A decision, and for a permitted search the filter and patient restriction the FHIR server must
/// apply; <see cref="Privacy"/> when the consent and label terms were asked (excluded labels, break-the-glass).
/// </summary>
public sealed record DecisionResult(Decision Decision, SearchFilter? Filter = null, AccessiblePatients? Patients = null, PrivacyOutcome? Privacy = null);
