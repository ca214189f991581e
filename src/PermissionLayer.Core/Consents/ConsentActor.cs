namespace PermissionLayer.Core.Consents;

/// <summary>
/// A provision's actor: the role (kept for the explanation) and the reference it matches against the
/// requester's actor set (user, organizations, care teams, groups, client app as <c>Device/&lt;client_id&gt;</c>).
/// </summary>
public sealed record ConsentActor(string Role, string Reference);
