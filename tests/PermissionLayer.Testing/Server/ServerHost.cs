using System.Net.Sockets;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using PermissionLayer.Grains.Decisions;
using PermissionLayer.Server.Hosting;
using PermissionLayer.Storage.ApiKeys;

namespace PermissionLayer.Testing.Server;

/// <summary>
/// The real service, started in the test process through the same builder as Program.cs: a real
/// Orleans silo, real PostgreSQL, Kestrel on loopback ports. Tests talk to it over real sockets.
/// </summary>
public sealed class ServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _disposed;

    private ServerHost(WebApplication app, int grpcPort, int httpPort, string superKey)
    {
        _app = app;
        GrpcPort = grpcPort;
        HttpPort = httpPort;
        SuperKey = superKey;
        Channel = ChannelWith(superKey);
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
        Http.DefaultRequestHeaders.Authorization = new("Bearer", superKey);
    }

    /// <summary>A key with every role, carried by <see cref="Channel"/> and <see cref="Http"/>.</summary>
    public string SuperKey { get; }

    /// <summary>A channel that sends <paramref name="apiKey"/> (or no key at all) with every call.</summary>
    public GrpcChannel ChannelWith(string? apiKey) => AuthenticatedChannel.For(GrpcPort, apiKey);

    /// <summary>Creates an API key with the given roles through the same store as the create-key command.</summary>
    public Task<string> CreateKeyAsync(string name, params string[] roles) =>
        Services.GetRequiredService<ApiKeyStore>().CreateAsync(name, roles, "tests", DateTimeOffset.UtcNow);

    public int GrpcPort { get; }
    public int HttpPort { get; }
    public GrpcChannel Channel { get; }
    public HttpClient Http { get; }
    public IServiceProvider Services => _app.Services;

    /// <param name="decisionTime">When given, the instant decisions are evaluated at comes from it (see <c>DecisionClock</c>).</param>
    /// <param name="services">Registrations applied after the server's own, so they win (test seams such as <c>AfterCommitHook</c>).</param>
    public static async Task<ServerHost> StartAsync(
        string connectionString, IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? decisionTime = null,
        Action<IServiceCollection>? services = null)
    {
        // Another process may take a port between our check and Kestrel's bind; new ports, then again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(connectionString, settings, decisionTime, services);
            }
            catch (Exception e) when (attempt < 3 && IsAddressInUse(e))
            {
            }
        }
    }

    private static bool IsAddressInUse(Exception? e) =>
        e is not null && (e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }
            || e.GetType().Name == "AddressInUseException" || IsAddressInUse(e.InnerException));

    private static async Task<ServerHost> StartOnceAsync(
        string connectionString, IReadOnlyDictionary<string, string?>? settings, TimeProvider? decisionTime, Action<IServiceCollection>? replace)
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
            // Hosts in one test process share a folder: a spill of one must never be replayed by another.
            ["PermissionLayer:Audit:SpillPath"] = Path.Combine(Path.GetTempPath(), "permissionlayer-tests", Guid.NewGuid().ToString("N") + ".ndjson"),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }
        // Overrides may choose the ports; read them back so Channel and Http point at the real ones.
        grpcPort = int.Parse(values["PermissionLayer:Endpoints:GrpcPort"]!);
        httpPort = int.Parse(values["PermissionLayer:Endpoints:HttpPort"]!);
        var app = await PermissionLayerApplication.BuildAsync([], c => c.AddInMemoryCollection(values), services =>
        {
            if (decisionTime is not null)
            {
                services.AddSingleton(new DecisionClock(decisionTime));
            }
            replace?.Invoke(services);
        });
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        var superKey = await app.Services.GetRequiredService<ApiKeyStore>()
            .CreateAsync("test-super", [.. CallerRoles.All], "tests", DateTimeOffset.UtcNow);
        return new ServerHost(app, grpcPort, httpPort, superKey);
    }

    /// <summary>
    /// Stops the host gracefully (the audit queue is flushed) and disposes it; a second call does
    /// nothing, so a test may stop it early. <paramref name="shutdownTimeout"/> cuts the graceful
    /// stop short, as an orchestrator's kill deadline would.
    /// </summary>
    public async Task StopAsync(TimeSpan? shutdownTimeout = null)
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        Channel.Dispose();
        Http.Dispose();
        using (var timeout = new CancellationTokenSource(shutdownTimeout ?? Timeout.InfiniteTimeSpan))
        {
            await _app.StopAsync(timeout.Token);
        }
        await _app.DisposeAsync();
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
