using Grpc.Core;

namespace PermissionLayer.Client;

/// <summary>
/// PermissionLayer gave no decision. There is no permit in this exception: a FHIR server that
/// catches it must deny the request (see <see cref="PermissionLayerUnavailableException"/> for the
/// transient case that maps to HTTP 503).
/// </summary>
public class PermissionLayerException : Exception
{
    public PermissionLayerException(string message, RpcException inner)
        : base(message, inner)
    {
        StatusCode = inner.StatusCode;
        Detail = inner.Status.Detail;
    }

    /// <summary>The gRPC status of the failed call, e.g. INVALID_ARGUMENT for a malformed request.</summary>
    public StatusCode StatusCode { get; }

    /// <summary>The server's explanation (gRPC status detail), e.g. which request field is missing.</summary>
    public string Detail { get; }
}
