namespace PermissionLayer.Core.Decisions;

/// <summary>What the client term reads of a registration: whether it is active (its status) and its scope ceiling.</summary>
public sealed record ClientStanding(bool IsActive, string Status, string ScopeCeiling);
