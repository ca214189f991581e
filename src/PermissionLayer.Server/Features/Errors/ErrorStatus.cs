using Grpc.Core;
using PermissionLayer.Core.Requests;
using PermissionLayer.Fhir.Imports;
using PermissionLayer.Grains.Abstractions.Errors;
using PermissionLayer.Storage;
using PermissionLayer.Storage.Imports;

namespace PermissionLayer.Server.Features.Errors;

/// <summary>
/// The one mapping from failures to gRPC statuses, used for whole calls and for batch entries.
/// Anything unexpected is INTERNAL (never a permit); storage and cluster trouble is UNAVAILABLE so
/// that clients retry.
/// </summary>
public static class ErrorStatus
{
    public static Status Of(Exception e) => e switch
    {
        RpcException rpc => rpc.Status,
        RequestValidationException or EntitlementValidationException or FhirImportException or UnsupportedImportException =>
            new Status(StatusCode.InvalidArgument, e.Message),
        EntitlementNotFoundException => new Status(StatusCode.NotFound, e.Message),
        EntitlementPreconditionFailedException or ImportConflictException => new Status(StatusCode.FailedPrecondition, e.Message),
        StorageUnavailableException or EntitlementStoreUnavailableException =>
            new Status(StatusCode.Unavailable, "storage unavailable: " + e.Message),
        OperationCanceledException => new Status(StatusCode.Cancelled, "the call was cancelled"),
        _ when ClusterFailure.IsTransient(e) => new Status(StatusCode.Unavailable, "cluster unavailable, retry: " + e.Message),
        _ => new Status(StatusCode.Internal, "internal error"),
    };
}
