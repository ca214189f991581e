using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Gateway.Tests.Support;

/// <summary>The gateway, started in this process on a free loopback port, configured as a deployment would be.</summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewayHost(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>The gateway's FHIR base URL, ending in '/': also the audience its tokens carry.</summary>
    public string BaseUrl { get; }

    public static async Task<GatewayHost> StartAsync(string upstream, int decisionPort, string apiKey, string issuer, params string[] settings)
    {
        var address = $"http://127.0.0.1:{FreePorts.Next()}";
        var app = GatewayApplication.Build(
        [
            "--urls", address,
            "--Gateway:Upstream:BaseUrl", upstream,
            "--Gateway:DecisionService:Address", $"http://127.0.0.1:{decisionPort}",
            "--Gateway:DecisionService:ApiKey", apiKey,
            "--Gateway:Tokens:Issuer", issuer,
            "--Gateway:Tokens:Audience", address + "/",
            "--Gateway:Tokens:JwksRefetchIntervalSeconds", "0",
            "--Gateway:Upstream:TimeoutSeconds", "60",
            // Answers, not latency: a cold decision on a loaded CI machine may exceed the 2 s default.
            "--Gateway:DecisionService:DeadlineSeconds", "30",
            "--Logging:LogLevel:Default", "Warning",
            .. settings,
        ]);
        await app.StartAsync();
        return new GatewayHost(app, address + "/");
    }

    /// <summary>A client of the gateway that sends <paramref name="token"/> (or none).</summary>
    public HttpClient Client(string? token)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
