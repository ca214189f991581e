using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Storage;
using PermissionLayer.Storage.ApiKeys;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Audit;

/// <summary>
/// Issue 14 item 12: queued mode answers before the audit row commits. A kill -9 of the process
/// (no graceful stop, no spill) while many callers are answered must not lose one of the decisions
/// they were answered: each is in the write-ahead file before its answer, and the next start writes
/// what PostgreSQL did not get. Counted over several kills.
/// </summary>
public sealed class QueuedAuditCrashTests
{
    private const int Kills = 3;

    [Fact]
    public async Task No_answered_decision_is_lost_when_a_queued_server_is_killed()
    {
        SlowScenarios.SkipUnlessEnabled();
        var database = await PostgresServer.CreateDatabaseAsync("queued-crash");
        var settings = new Dictionary<string, string>
        {
            ["PermissionLayer__Storage__ConnectionString"] = database,
            ["PermissionLayer__Cluster__ClusterId"] = "queued-crash-" + Guid.NewGuid().ToString("N")[..8],
            ["PermissionLayer__Audit__Mode"] = "Queued",
            // =false measures the old window (docs/reliability.md): the test then fails.
            ["PermissionLayer__Audit__WriteAhead"] = Environment.GetEnvironmentVariable("PERMISSIONLAYER_QUEUED_WRITE_AHEAD") ?? "true",
            // The restarted process must find what the killed one left.
            ["PermissionLayer__Audit__SpillPath"] = Path.Combine(Path.GetTempPath(), "permissionlayer-tests", Guid.NewGuid().ToString("N"), "spill.ndjson"),
        };
        var answered = new ConcurrentBag<string>();
        var lostPerKill = new List<long>();
        string? key = null;
        for (var kill = 0; kill < Kills; kill++)
        {
            using var server = await ServerProcess.StartAsync(settings);
            key ??= await CreateKeyAsync(database);
            using var channel = AuthenticatedChannel.For(server.GrpcPort, key);
            if (kill == 0)
            {
                await new AdminService.AdminServiceClient(channel).CreateGrantAsync(Requests.TrustClientForAllPatients());
            }
            var before = answered.Count;
            var thisRun = new ConcurrentBag<string>();
            await DriveThenKillAsync(server, new DecisionService.DecisionServiceClient(channel), kill, thisRun);
            foreach (var id in thisRun)
            {
                answered.Add(id);
            }
            // What the killed process had not written yet: counted before the next start replays it.
            lostPerKill.Add(thisRun.Count - await CountWrittenAsync(database, thisRun));
            SlowScenarios.Report($"kill {kill + 1}: {thisRun.Count} answered, {lostPerKill[^1]} not in audit.decision at the kill");
        }
        // The next start writes what the last kill left before it takes decisions.
        using (await ServerProcess.StartAsync(settings))
        {
        }

        var missing = answered.Count - await CountWrittenAsync(database, answered);
        // The kills hit the window (answered, not yet in PostgreSQL), else this would prove nothing.
        Assert.True(lostPerKill.Sum() > 0, "every kill found the queue written: nothing to recover");
        SlowScenarios.Report(
            $"{answered.Count} decisions answered over {Kills} kills; unwritten at each kill: {string.Join(", ", lostPerKill)}; missing after restart: {missing}");
        Assert.Equal(0, missing);
        Assert.Equal(answered.Count, answered.Distinct().Count());
        // Replays never write a decision twice.
        Assert.Equal(0L, await AuditTable.ScalarAsync<long>(database, "SELECT count(*) - count(DISTINCT decision_id) FROM audit.decision"));
    }

    /// <summary>16 callers until 2,000 decisions are answered, then the kill while they still run.</summary>
    private static async Task DriveThenKillAsync(ServerProcess server, DecisionService.DecisionServiceClient decisions, int run, ConcurrentBag<string> answered)
    {
        using var stop = new CancellationTokenSource();
        var callers = Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    answered.Add((await decisions.CheckAsync(Requests.ReadPatient($"Practitioner/queued-crash-{w}", $"p-{run}-{i}"))).DecisionId);
                }
                catch (RpcException)
                {
                    return; // the process is gone
                }
            }
        })).ToList();
        while (answered.Count < 2000)
        {
            await Task.Delay(10);
        }
        server.Kill();
        await stop.CancelAsync();
        await Task.WhenAll(callers);
    }

    private static async Task<long> CountWrittenAsync(string database, IEnumerable<string> ids) =>
        await AuditTable.CountAsync(database, $"decision_id IN ({string.Join(",", ids.Select(id => $"'{id}'"))})");

    private static async Task<string> CreateKeyAsync(string database)
    {
        var factory = new PooledDbContextFactory<PermissionLayerDbContext>(
            new DbContextOptionsBuilder<PermissionLayerDbContext>().UseNpgsql(database).Options);
        return await new ApiKeyStore(factory).CreateAsync("queued-crash", [CallerRoles.Pep, CallerRoles.Admin], "tests", DateTimeOffset.UtcNow);
    }
}
