using PermissionLayer.Core.Entitlements;

namespace PermissionLayer.Core.Decisions;

/// <summary>
/// What the privacy terms know of the requester: the profile of the grants that reach the patients
/// concerned (clearance, break-the-glass), and as consent actors the care teams taken part in and the
/// organizations a role is held at (<c>Organization/o</c>), at the decision's instant.
/// </summary>
public sealed record RequesterPrivacy(PrivacyProfile Profile, IReadOnlyList<string> CareTeams, IReadOnlyList<string> Organizations);
