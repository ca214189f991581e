using Microsoft.Extensions.DependencyInjection;
using PermissionLayer.Grains.Batches;
using PermissionLayer.Grains.LocalState;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Lifecycle;

/// <summary>
/// Two real silos of one Orleans cluster (membership in the test's PostgreSQL), each a full server in
/// this process, so that a test can give one of them a seam between COMMIT and reloads.
/// </summary>
internal sealed class SiloPair(ServerHost first, ServerHost second, string database) : IAsyncDisposable
{
    public ServerHost First { get; } = first;
    public ServerHost Second { get; } = second;
    public string Database { get; } = database;

    public static async Task<SiloPair> StartAsync(string purpose, AfterCommitHook? firstHook = null)
    {
        var database = await PostgresServer.CreateDatabaseAsync(purpose);
        var settings = new Dictionary<string, string?>
        {
            ["PermissionLayer:Cluster:Mode"] = "Postgres",
            ["PermissionLayer:Cluster:ClusterId"] = "pair-" + Guid.NewGuid().ToString("N")[..8],
            ["PermissionLayer:Cluster:ProbeTimeoutSeconds"] = "1",
            ["PermissionLayer:Cluster:NumMissedProbesLimit"] = "2",
            ["PermissionLayer:Cluster:NumVotesForDeathDeclaration"] = "1",
        };
        var first = await ServerHost.StartAsync(database, settings,
            services: firstHook is null ? null : s => s.AddSingleton(firstHook));
        var second = await ServerHost.StartAsync(database, settings);
        return new SiloPair(first, second, database);
    }

    /// <summary>Whether <paramref name="host"/> holds an activation of the principal that published its state.</summary>
    public static bool HoldsPrincipal(ServerHost host, string principal) =>
        host.Services.GetRequiredService<PublishedStates>().Principals.TryGet(principal, out _);

    public async ValueTask DisposeAsync()
    {
        await Second.DisposeAsync();
        await First.DisposeAsync();
    }
}
