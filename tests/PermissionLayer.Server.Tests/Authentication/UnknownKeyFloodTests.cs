using System.Diagnostics;
using System.Security.Cryptography;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Grains.Abstractions.Consents;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Authentication;

/// <summary>
/// Unknown API keys must not buy database work: a key id PostgreSQL did not have is remembered, and a
/// source that keeps sending unknown ids is refused without a lookup. Measured on the real server's own
/// database as PostgreSQL counts reads of its api_keys table, less what the idle server does in as long.
/// </summary>
public sealed class UnknownKeyFloodTests
{
    private const int Calls = 1_000;

    [Fact]
    public async Task A_flood_of_unknown_keys_costs_postgresql_a_bounded_number_of_lookups()
    {
        var database = await PostgresServer.CreateDatabaseAsync("key-flood");
        await using var host = await ServerHost.StartAsync(database);
        using var genuine = host.ChannelWith(await host.CreateKeyAsync("ward-pep", "pep"));
        await new DecisionService.DecisionServiceClient(genuine).PingAsync(new PingRequest(), cancellationToken: TestContext.Current.CancellationToken);
        // The consent registry's shards load at start (a few transactions each): wait for them, so that
        // start-up work is not counted as the flood's.
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        await Task.WhenAll(Enumerable.Range(0, ConsentRegistryShards.Count)
            .Select(shard => grains.GetGrain<IConsentRegistryGrain>(ConsentRegistryShards.Key(shard)).PatientsWithConsents()));
        // PostgreSQL backends report their transaction counts at most once a second (later when busy): let
        // the start-up's counts arrive before the first reading, or they land inside the flood's window.
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);

        // The same unknown key again and again: looked up once.
        var repeated = await ApiKeyReadsDuringAsync(database, () => FloodAsync(host, _ => "plk_0123456789ab_" + new string('x', 43)));
        // A new random key id each call: looked up until the source's budget is spent, then refused outright.
        var random = await ApiKeyReadsDuringAsync(database, () => FloodAsync(host, _ => $"plk_{RandomHex()}_{new string('y', 43)}"));
        var idle = await ApiKeyReadsDuringAsync(database, () => Task.Delay(random.Elapsed, TestContext.Current.CancellationToken));

        // Before: about one lookup (a transaction) per call, so ~1,000 each.
        Assert.True(repeated.Reads - idle.Reads <= 50, $"repeated unknown key: {repeated.Reads} api_keys reads, idle {idle.Reads}");
        // The source's budget: 100 failed lookups, then 5 a second; a lookup is up to two reads
        // (the old code's 1,000 calls with one unknown key cost 1,910), plus slack for background work.
        var budget = 2 * (100 + 5 * random.Elapsed.TotalSeconds) + 100;
        Assert.True(random.Reads - idle.Reads <= budget,
            $"random unknown keys: {random.Reads} api_keys reads in {random.Elapsed.TotalSeconds:F1} s, idle {idle.Reads}, budget {budget:F0}");

        // A genuine key this node already validated keeps working from the throttled source.
        await new DecisionService.DecisionServiceClient(genuine).PingAsync(new PingRequest(), cancellationToken: TestContext.Current.CancellationToken);
    }

    private static async Task FloodAsync(ServerHost host, Func<int, string> key)
    {
        await Parallel.ForAsync(0, Calls, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = TestContext.Current.CancellationToken }, async (i, ct) =>
        {
            using var channel = host.ChannelWith(key(i));
            var error = await Assert.ThrowsAsync<RpcException>(() =>
                new DecisionService.DecisionServiceClient(channel).PingAsync(new PingRequest(), cancellationToken: ct).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        });
    }

    private static async Task<(long Reads, TimeSpan Elapsed)> ApiKeyReadsDuringAsync(string database, Func<Task> work)
    {
        var before = await ApiKeyReadsAsync(database);
        var clock = Stopwatch.StartNew();
        await work();
        var elapsed = clock.Elapsed;
        return (await ApiKeyReadsAsync(database) - before, elapsed);
    }

    /// <summary>
    /// Reads of the api_keys table (its sequential and index scans), after backends have flushed their
    /// counts: what a key lookup costs, and nothing else the server does meanwhile (connection resets,
    /// health probes, change polling), which the database's transaction count also held.
    /// </summary>
    private static async Task<long> ApiKeyReadsAsync(string database)
    {
        // Backends report their counts when idle, at most once a second.
        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        var direct = new NpgsqlConnectionStringBuilder(database) { Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(direct);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var query = new NpgsqlCommand(
            "SELECT coalesce(sum(coalesce(seq_scan, 0) + coalesce(idx_scan, 0)), 0)::bigint FROM pg_stat_user_tables WHERE relname = 'api_keys'", connection);
        return (long)(await query.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    private static string RandomHex() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
}
