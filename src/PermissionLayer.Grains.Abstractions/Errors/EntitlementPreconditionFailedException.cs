namespace PermissionLayer.Grains.Abstractions.Errors;

/// <summary>A write's expected revision did not match its subject's last change; nothing was written.</summary>
[GenerateSerializer]
public sealed class EntitlementPreconditionFailedException(string message) : Exception(message);
