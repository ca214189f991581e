namespace PermissionLayer.Grains.Abstractions.Errors;

/// <summary>A write was rejected because part of it is invalid; the message names the part.</summary>
[GenerateSerializer]
public sealed class EntitlementValidationException(string message) : Exception(message);
