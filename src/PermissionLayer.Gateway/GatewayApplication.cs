using PermissionLayer.Client;
using PermissionLayer.Core.References;
using PermissionLayer.Fhir.Resources;
using PermissionLayer.Gateway.Configuration;
using PermissionLayer.Gateway.Enforcement;
using PermissionLayer.Gateway.Search;
using PermissionLayer.Gateway.Tokens;
using PermissionLayer.Gateway.Upstream;
using Yarp.ReverseProxy.Forwarder;

namespace PermissionLayer.Gateway;

/// <summary>
/// The gateway: a reverse proxy in front of one FHIR R4 server that validates SMART access tokens
/// and asks PermissionLayer about every request and every returned resource. Program.cs runs it;
/// tests start it in-process on a loopback port.
/// </summary>
public static class GatewayApplication
{
    /// <summary>Builds the app; throws <see cref="GatewayConfigurationException"/> naming each bad setting.</summary>
    public static WebApplication Build(string[] args, Action<IConfigurationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
        configure?.Invoke(builder.Configuration);
        var settings = GatewaySettings.Load(builder.Configuration);
        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        // One client (one HTTP/2 channel) for the whole gateway; the key's role must be pep.
        services.AddPermissionLayerClient(o =>
        {
            o.Address = settings.DecisionServiceAddress;
            o.ApiKey = settings.DecisionServiceApiKey;
            o.DefaultDeadline = settings.DecisionDeadline;
        });
        // YARP's forwarder client: pooled connections, no redirects, cookies or decompression.
        services.AddSingleton<IForwarderHttpClientFactory, ForwarderHttpClientFactory>();
        services.AddHttpClient(JwksKeySource.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10));
        // Absolute references under the upstream's or the gateway's base name our own resources.
        services.AddSingleton(new PatientReferenceResolver(
            [settings.UpstreamBaseUrl.ToString(), .. settings.PublicBaseUrl is { } p ? new[] { p.ToString() } : []], R4ResourceTypes.Instance));
        services.AddHttpClient(TokenIntrospector.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<JwksKeySource>();
        services.AddSingleton<TokenIntrospector>();
        services.AddSingleton<AccessTokenValidator>();
        services.AddSingleton<UpstreamClient>();
        services.AddSingleton<DecisionGate>();
        services.AddSingleton<ResultFilter>();
        services.AddSingleton<ReadEnforcer>();
        services.AddSingleton<SearchEnforcer>();
        services.AddSingleton<WriteAnswers>();
        services.AddSingleton<WriteEnforcer>();
        services.AddSingleton<BundleEnforcer>();
        services.AddSingleton<OperationEnforcer>();
        services.AddSingleton<GatewayPipeline>();

        var app = builder.Build();
        app.MapGet("/healthz", HealthAsync);
        // Everything else is FHIR: one handler for every path and method (a literal route such as /healthz wins).
        app.Map("/{**path}", (HttpContext http, GatewayPipeline pipeline) => pipeline.HandleAsync(http));
        return app;
    }

    /// <summary>Healthy when both the decision service and the upstream answer: without either, every request is refused.</summary>
    private static async Task<IResult> HealthAsync(PermissionLayerClient decisions, UpstreamClient upstream, HttpContext http)
    {
        var problems = new List<string>();
        try
        {
            await decisions.PingAsync(http.RequestAborted);
        }
        catch (PermissionLayerException e)
        {
            problems.Add("decision service: " + e.StatusCode);
        }
        try
        {
            var metadata = await upstream.GetAsync("metadata", http.RequestAborted);
            if (!metadata.IsSuccess)
            {
                problems.Add($"upstream: metadata answered {metadata.Status}");
            }
        }
        catch (PermissionLayer.Gateway.Fhir.GatewayRefusal e)
        {
            problems.Add("upstream: " + e.Message);
        }
        return problems.Count == 0
            ? Results.Json(new { status = "ok" })
            : Results.Json(new { status = "unavailable", problems }, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
