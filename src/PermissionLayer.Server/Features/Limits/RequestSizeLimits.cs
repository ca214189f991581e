namespace PermissionLayer.Server.Features.Limits;

/// <summary>
/// The largest request each RPC accepts, in bytes of protobuf (README, "Limits"). gRPC itself is
/// configured per service with the largest of its RPCs (<see cref="DecisionService"/> etc.), so that
/// a bigger message is refused from its length prefix before it is read; the interceptor then holds
/// each RPC to its own. Over the limit: RESOURCE_EXHAUSTED naming the limit.
/// </summary>
public static class RequestSizeLimits
{
    public const int MiB = 1024 * 1024;

    /// <summary>FHIR imports carry whole Groups (100,000 members is about 6 MB of JSON).</summary>
    public const int Import = 64 * MiB;
    public const int CheckBatch = 16 * MiB;
    public const int Check = 4 * MiB;
    public const int ApplyChanges = 16 * MiB;
    public const int GroupChanges = 16 * MiB;
    public const int Consent = 4 * MiB;
    public const int Default = 1 * MiB;

    /// <summary>gRPC's own limit per service: the largest of its RPCs.</summary>
    public const int DecisionService = CheckBatch;
    public const int AdminService = Import;
    public const int AuditService = Default;

    /// <summary>Kestrel's body limit (both ports): above every RPC's, so that gRPC and the JSON port answer, not a reset.</summary>
    public const long RequestBody = Import + 8L * MiB;

    /// <summary>The limit of one RPC by its method name (the last part of the gRPC path).</summary>
    public static int For(string method) => method switch
    {
        "Import" => Import,
        "CheckBatch" => CheckBatch,
        "Check" => Check,
        "ApplyChanges" => ApplyChanges,
        "ChangeGroupMembers" or "ChangeOrganizationPatients" => GroupChanges,
        "PutConsent" => Consent,
        _ => Default,
    };
}
