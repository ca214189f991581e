using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using PermissionLayer.Server.Hosting;

namespace PermissionLayer.Testing.Server;

/// <summary>
/// The real service, started in the test process through the same builder as Program.cs: a real
/// Orleans silo, real PostgreSQL, Kestrel on loopback ports. Tests talk to it over real sockets.
/// </summary>
public sealed class ServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ServerHost(WebApplication app, int grpcPort, int httpPort)
    {
        _app = app;
        GrpcPort = grpcPort;
        HttpPort = httpPort;
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
    }

    public int GrpcPort { get; }
    public int HttpPort { get; }
    public GrpcChannel Channel { get; }
    public HttpClient Http { get; }
    public IServiceProvider Services => _app.Services;

    public static async Task<ServerHost> StartAsync(string connectionString, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var grpcPort = FreePorts.Next();
        var httpPort = FreePorts.Next();
        var values = new Dictionary<string, string?>
        {
            ["PermissionLayer:Storage:ConnectionString"] = connectionString,
            ["PermissionLayer:Endpoints:GrpcPort"] = grpcPort.ToString(),
            ["PermissionLayer:Endpoints:HttpPort"] = httpPort.ToString(),
            ["PermissionLayer:Cluster:SiloPort"] = FreePorts.Next().ToString(),
            ["PermissionLayer:Cluster:GatewayPort"] = FreePorts.Next().ToString(),
            // Each host is a cluster of its own, so parallel test classes never join each other.
            ["PermissionLayer:Cluster:ClusterId"] = "test-" + Guid.NewGuid().ToString("N")[..12],
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }
        var app = await PermissionLayerApplication.BuildAsync([], c => c.AddInMemoryCollection(values));
        await app.StartAsync();
        return new ServerHost(app, grpcPort, httpPort);
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
