using PermissionLayer.Core.Entitlements;

namespace PermissionLayer.Core.Decisions;

/// <summary>
/// A principal's walk as the decision reads it: per touched patient what reaches them (access asked),
/// the reachable set (no patients named), and the requester's privacy (profile asked).
/// </summary>
public sealed record EntitlementAnswer(IReadOnlyList<PatientReach> Patients, ReachablePatients? Reach, RequesterPrivacy? Privacy);
