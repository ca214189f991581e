namespace PermissionLayer.Core.Consents;

/// <summary>
/// A provision's <c>data</c> entry: a specific resource. Only <c>instance</c> and <c>related</c> are
/// compiled; both match the resource itself (related resources cannot be resolved without I/O).
/// </summary>
public sealed record ConsentData(string Meaning, string Reference);
