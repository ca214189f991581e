using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Scopes;

namespace PermissionLayer.Grains.Decisions;

/// <summary>
/// A decision, the entitlement revision it was evaluated at, and for a permitted search the filter
/// and patient restriction the FHIR server must apply.
/// </summary>
public sealed record DecisionOutcome(Decision Decision, long Revision, SearchFilter? Filter = null, AccessiblePatients? Patients = null);
