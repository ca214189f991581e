namespace PermissionLayer.Grains.Abstractions.Errors;

/// <summary>
/// The system of record could not be reached while loading or writing entitlements. Callers fail
/// closed (gRPC UNAVAILABLE); nothing was acknowledged.
/// </summary>
[GenerateSerializer]
public sealed class EntitlementStoreUnavailableException(string message) : Exception(message);
