using Grpc.Core;

namespace PermissionLayer.Client;

/// <summary>
/// PermissionLayer could not be reached or did not answer in time: UNAVAILABLE after the bounded
/// retries were spent, or DEADLINE_EXCEEDED. The request is undecided, which is never a permit.
/// Deny it (HTTP 503 with Retry-After suits FHIR clients, since trying later may succeed).
/// </summary>
public sealed class PermissionLayerUnavailableException(string message, RpcException inner)
    : PermissionLayerException(message, inner);
