namespace PermissionLayer.Client;

/// <summary>
/// How a FHIR server (policy enforcement point) reaches PermissionLayer. Bind it from configuration
/// (section <c>PermissionLayer</c> by convention) or set it in code through
/// <see cref="PermissionLayerServiceCollectionExtensions.AddPermissionLayerClient"/>.
/// </summary>
public sealed class PermissionLayerClientOptions
{
    /// <summary>
    /// The gRPC endpoint, e.g. <c>https://permissionlayer.internal:5001</c>. Use <c>http://</c> (h2c)
    /// only on loopback or behind a sidecar that terminates mutual TLS.
    /// </summary>
    public Uri? Address { get; set; }

    /// <summary>
    /// The API key this FHIR server was issued (role <c>pep</c>). When set it travels as
    /// <c>authorization: Bearer &lt;key&gt;</c> on every call. Optional while the server does not require one.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// The deadline applied to every call that does not bring its own: a FHIR request should not
    /// hang on its authorization. It bounds the whole call, retries and backoff included. Default 2 s.
    /// </summary>
    public TimeSpan DefaultDeadline { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Retries on UNAVAILABLE (a restarting node, a failover); bounded and exponential.</summary>
    public PermissionLayerRetryOptions Retry { get; set; } = new();

    /// <summary>
    /// The HTTP handler under the channel, for custom TLS (client certificates, private roots) or
    /// diagnostics. Null: the gRPC default (a <see cref="SocketsHttpHandler"/>). The client does not dispose it.
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; set; }
}
