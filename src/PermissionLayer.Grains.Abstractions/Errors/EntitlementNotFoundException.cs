namespace PermissionLayer.Grains.Abstractions.Errors;

/// <summary>The entity a write refers to does not exist (or is no longer active).</summary>
[GenerateSerializer]
public sealed class EntitlementNotFoundException(string message) : Exception(message);
