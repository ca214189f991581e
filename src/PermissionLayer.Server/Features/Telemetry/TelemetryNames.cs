namespace PermissionLayer.Server.Features.Telemetry;

/// <summary>
/// The names operators see: the meter and activity source, every instrument and every label. README
/// "Operate it: metrics and traces" lists them; a rename there is a rename of a dashboard.
/// </summary>
/// <remarks>
/// No label ever carries a patient, a principal, a client id or a token: label values are drawn from
/// the fixed sets named here (an RPC, an outcome, a term, an interaction, a grain kind, a failure reason).
/// </remarks>
public static class TelemetryNames
{
    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> and <see cref="System.Diagnostics.ActivitySource"/> name.</summary>
    public const string Source = "PermissionLayer";

    public const string Decisions = "permissionlayer.decisions";
    public const string DecisionDuration = "permissionlayer.decision.duration";
    public const string AuditQueueDepth = "permissionlayer.audit.queue.depth";
    public const string AuditBatchSize = "permissionlayer.audit.batch.size";
    public const string AuditCommitDuration = "permissionlayer.audit.commit.duration";
    public const string AuditOldestUnwrittenAge = "permissionlayer.audit.oldest_unwritten.age";
    public const string ConsentRegistryLag = "permissionlayer.consent_registry.lag";
    public const string GrainActivations = "permissionlayer.grain.activations";
    public const string AuthenticationFailures = "permissionlayer.authentication.failures";

    /// <summary>Label: the RPC that decided (<c>Check</c>, <c>CheckBatch</c>, <c>StreamAccessiblePatients</c>).</summary>
    public const string Rpc = "permissionlayer.rpc";
    /// <summary>Label: <c>permit</c>, <c>deny</c>, or <c>error</c> (the call failed: INVALID_ARGUMENT, UNAVAILABLE, …).</summary>
    public const string Outcome = "permissionlayer.outcome";
    /// <summary>Label: the term of the first deny (<c>scope</c>, <c>client</c>, <c>user</c>, <c>consent</c>, <c>labels</c>, <c>request</c>), <c>none</c> for a permit or an error.</summary>
    public const string DecidingTerm = "permissionlayer.deciding_term";
    /// <summary>Label: the FHIR interaction as the audit names it (<c>read</c>, <c>search-type</c>, …), <c>unknown</c> when the request did not say one.</summary>
    public const string Interaction = "permissionlayer.interaction";
    /// <summary>Label: the kind of entity a grain holds (<c>principal</c>, <c>client</c>, <c>consent</c>, <c>group</c>, <c>careteam</c>, <c>consent-registry</c>).</summary>
    public const string GrainKind = "permissionlayer.grain.kind";
    /// <summary>Label: why authentication failed (<c>missing</c>, <c>malformed</c>, <c>unknown-key</c>, <c>store-unavailable</c>).</summary>
    public const string FailureReason = "permissionlayer.failure.reason";

    /// <summary>Span attribute: the decision id (the audit row's, returned to the PEP).</summary>
    public const string DecisionId = "permissionlayer.decision.id";
    /// <summary>Span attribute: the entitlement revision the decision saw.</summary>
    public const string Revision = "permissionlayer.revision";
    /// <summary>Span attribute: the audit mode (<c>durable</c>, <c>queued</c>, <c>off</c>).</summary>
    public const string AuditMode = "permissionlayer.audit.mode";
}
