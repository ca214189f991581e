namespace PermissionLayer.Core.Entitlements;

/// <summary>
/// What a principal's activation holds that the entitlement walk reads: who the principal is, their
/// grants, and the care teams they may take part in (which teams to ask; each team decides whether
/// the principal takes part at an instant). Immutable.
/// </summary>
public sealed record EntitlementSnapshot(PrincipalRef Principal, GrantBook Grants, IReadOnlyCollection<string> CareTeams);
