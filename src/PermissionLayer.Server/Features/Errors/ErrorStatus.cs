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
/// that clients retry. Every message is bounded: it travels in an HTTP/2 header, and one that quotes a
/// huge input would break the caller's connection (and every call sharing it).
/// </summary>
public static class ErrorStatus
{
    public const string StorageUnavailable = "storage unavailable, retry";
    public const string ClusterUnavailable = "cluster unavailable, retry";

    /// <summary>The longest status message sent, in characters.</summary>
    public const int MaxMessageLength = 1024;

    public static Status Of(Exception e)
    {
        var status = Unbounded(e);
        return status.Detail.Length <= MaxMessageLength
            ? status
            : new Status(status.StatusCode, $"{status.Detail[..MaxMessageLength]}… (message cut at {MaxMessageLength} characters)");
    }

    private static Status Unbounded(Exception e) => e switch
    {
        RpcException rpc => rpc.Status,
        RequestValidationException or EntitlementValidationException or FhirImportException or UnsupportedImportException =>
            new Status(StatusCode.InvalidArgument, e.Message),
        EntitlementNotFoundException => new Status(StatusCode.NotFound, e.Message),
        EntitlementPreconditionFailedException or ImportConflictException => new Status(StatusCode.FailedPrecondition, e.Message),
        // The caller gets a short, stable message; the details (PostgreSQL's text, Orleans' silo
        // addresses and grain ids) are logged by whoever maps the failure, never sent.
        StorageUnavailableException or EntitlementStoreUnavailableException or Storage.Audit.AuditRecordQuarantinedException =>
            new Status(StatusCode.Unavailable, StorageUnavailable),
        OperationCanceledException => new Status(StatusCode.Cancelled, "the call was cancelled"),
        _ when ClusterFailure.IsTransient(e) => new Status(StatusCode.Unavailable, ClusterUnavailable),
        _ => new Status(StatusCode.Internal, "internal error"),
    };
}
