namespace PermissionLayer.Core.Consents;

/// <summary>
/// A provision's <c>data</c> entry: a specific resource. Only <c>instance</c> is compiled
/// (related resources cannot be resolved without I/O, and matching less would let a deny miss them).
/// </summary>
public sealed record ConsentData(string Meaning, string Reference);
