namespace PermissionLayer.Server.Hosting;

/// <summary>
/// Configuration under <c>PermissionLayer</c> (environment: <c>PermissionLayer__Section__Name</c>).
/// Validated at start-up by <see cref="PermissionLayerOptionsValidator"/>; a bad value stops the
/// process with a message naming the setting.
/// </summary>
public sealed class PermissionLayerOptions
{
    public const string Section = "PermissionLayer";

    public StorageOptions Storage { get; set; } = new();
    public ClusterSettings Cluster { get; set; } = new();
    public EndpointOptions Endpoints { get; set; } = new();
    public DemoOptions Demo { get; set; } = new();
    public DecisionOptions Decision { get; set; } = new();
    public ConsentOptions Consent { get; set; } = new();
    public AuditOptions Audit { get; set; } = new();
    public SyncOptions Sync { get; set; } = new();
    public TelemetryOptions Telemetry { get; set; } = new();
    /// <summary><c>text</c> (default) or <c>json</c> (one JSON object per log line).</summary>
    public string LogFormat { get; set; } = "text";
}

public sealed class StorageOptions
{
    /// <summary>Npgsql connection string of the system of record. Required.</summary>
    public string ConnectionString { get; set; } = "";
    /// <summary>Apply EF Core migrations before the silo starts (default true).</summary>
    public bool MigrateOnStart { get; set; } = true;
}

public sealed class ClusterSettings
{
    /// <summary><c>Localhost</c> (single node, default) or <c>Postgres</c> (membership in the same PostgreSQL).</summary>
    public string Mode { get; set; } = "Localhost";
    public string ClusterId { get; set; } = "permissionlayer";
    public string ServiceId { get; set; } = "permissionlayer";
    /// <summary>Silo-to-silo port (default 11111).</summary>
    public int SiloPort { get; set; } = 11111;
    /// <summary>Orleans client gateway port (default 30000).</summary>
    public int GatewayPort { get; set; } = 30000;
    /// <summary>The address other silos reach this one at (default 127.0.0.1).</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";
    /// <summary>
    /// Postgres mode: the first probes' timeout and period (default 2 s; Orleans then adapts it to the
    /// measured round trips between ProbeTimeout/2 and 4 × ProbeTimeout, longer while this node is
    /// starved). With <see cref="NumMissedProbesLimit"/> it bounds how long the survivors of a node
    /// crash answer UNAVAILABLE for what lived on it (README, Configuration: the trade-off).
    /// </summary>
    public int ProbeTimeoutSeconds { get; set; } = 2;
    /// <summary>Postgres mode: consecutive missed probes before a silo is suspected (default 2).</summary>
    public int NumMissedProbesLimit { get; set; } = 2;
    /// <summary>
    /// Postgres mode: suspicions needed to declare a silo dead (default 2; Orleans asks for at most
    /// half the live silos, rounded up, so one vote suffices in a two-node cluster).
    /// </summary>
    public int NumVotesForDeathDeclaration { get; set; } = 2;
    /// <summary>
    /// Seconds an activation of a principal with no grant, role or care team lives (default 10):
    /// unknown principals (a flood of made-up names) cost memory only that long; each one asked
    /// again costs a cold load from PostgreSQL per lifetime.
    /// </summary>
    public int EmptyPrincipalLifetimeSeconds { get; set; } = 10;
}

public sealed class EndpointOptions
{
    /// <summary>Address Kestrel binds (default 127.0.0.1).</summary>
    public string BindAddress { get; set; } = "127.0.0.1";
    /// <summary>gRPC over HTTP/2 (default 5080).</summary>
    public int GrpcPort { get; set; } = 5080;
    /// <summary>HTTP/1.1: JSON transcoding of the APIs and /healthz (default 5081).</summary>
    public int HttpPort { get; set; } = 5081;
}

public sealed class DecisionOptions
{
    /// <summary>Most entries one CheckBatch may carry (default 500); more is RESOURCE_EXHAUSTED.</summary>
    public int MaxBatchEntries { get; set; } = 500;

    /// <summary>
    /// The FHIR server's own base URLs (e.g. <c>https://fhir.example.org/r4</c>): absolute references under
    /// them resolve like relative ones; an absolute reference to any other server is unresolvable.
    /// </summary>
    public List<string> FhirBaseUrls { get; set; } = [];
}

public sealed class DemoOptions
{
    /// <summary>Seed the small demo data set after start (idempotent).</summary>
    public bool Seed { get; set; }
}

public sealed class TelemetryOptions
{
    /// <summary>
    /// Serve the metrics for Prometheus at <c>GET /metrics</c> on the HTTP port (default false). No key is
    /// asked for it (like <c>/healthz</c>): no label carries a patient, principal, client or key.
    /// OTLP export is not a setting here: it is on when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
    /// </summary>
    public bool PrometheusScrape { get; set; }
}
