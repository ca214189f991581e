using Microsoft.AspNetCore.Builder;
using PermissionLayer.ExamplePep;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Client.Tests.Support;

/// <summary>The example FHIR server, started in this process on a free loopback port.</summary>
internal sealed class ExamplePepHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ExamplePepHost(WebApplication app, Uri address)
    {
        _app = app;
        Http = new HttpClient { BaseAddress = address };
    }

    public HttpClient Http { get; }

    public static async Task<ExamplePepHost> StartAsync(Uri permissionLayer, string? apiKey = null)
    {
        var address = new Uri($"http://127.0.0.1:{FreePorts.Next()}");
        var app = ExamplePepApplication.Build(
        [
            "--urls", address.ToString(),
            "--PermissionLayer:Address", permissionLayer.ToString(),
            // Short backoff: the "down" case should not slow the suite.
            "--PermissionLayer:Retry:InitialBackoff", "00:00:00.050",
            // Answers, not latency: a cold first decision on a loaded CI machine may exceed the 2 s default.
            "--PermissionLayer:DefaultDeadline", "00:00:30",
            "--Logging:LogLevel:Default", "Warning",
            .. apiKey is null ? Array.Empty<string>() : ["--PermissionLayer:ApiKey", apiKey],
        ]);
        await app.StartAsync();
        return new ExamplePepHost(app, address);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
