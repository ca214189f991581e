using System.Collections.Concurrent;
using System.Diagnostics;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Audit;

/// <summary>
/// What the queued-mode write-ahead log costs: the same load of Checks against a queued server
/// without it and with it (one run, one machine), decisions per second and latency; every decision
/// is in audit.decision after the graceful stop either way.
/// </summary>
public sealed class QueuedWriteAheadCostTests
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_write_ahead_log_keeps_most_of_queued_throughput()
    {
        SlowScenarios.SkipUnlessEnabled();
        var without = await MeasureAsync(writeAhead: false);
        var with = await MeasureAsync(writeAhead: true);
        SlowScenarios.Report($"queued without write-ahead: {without}; with: {with}; throughput ratio {with.PerSecond / without.PerSecond:F2}");
        // The fsync is shared by concurrent decisions: a small cost, never half the throughput.
        Assert.True(with.PerSecond >= without.PerSecond * 0.5, $"with: {with}; without: {without}");
    }

    private sealed record Throughput(int Decisions, double PerSecond, double MeanMilliseconds, double P99Milliseconds)
    {
        public override string ToString() => $"{Decisions} decisions, {PerSecond:F0}/s, mean {MeanMilliseconds:F2} ms, p99 {P99Milliseconds:F2} ms";
    }

    private static async Task<Throughput> MeasureAsync(bool writeAhead)
    {
        var database = await PostgresServer.CreateDatabaseAsync("write-ahead-cost");
        var host = await ServerHost.StartAsync(database, new Dictionary<string, string?>
        {
            ["PermissionLayer:Audit:Mode"] = "Queued",
            ["PermissionLayer:Audit:WriteAhead"] = writeAhead.ToString(),
        });
        var latencies = new ConcurrentBag<double>();
        var ids = new ConcurrentBag<string>();
        Stopwatch clock;
        try
        {
            await new AdminService.AdminServiceClient(host.Channel).CreateGrantAsync(Requests.TrustClientForAllPatients());
            var decisions = new DecisionService.DecisionServiceClient(host.Channel);
            // Warm-up: activations, connections, JIT.
            for (var i = 0; i < 200; i++)
            {
                await decisions.CheckAsync(Requests.ReadPatient($"Practitioner/cost-{i % 16}", $"w-{i}"));
            }
            clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
            {
                for (var i = 0; clock.Elapsed < Duration; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    ids.Add((await decisions.CheckAsync(Requests.ReadPatient($"Practitioner/cost-{w}", $"c-{i}"))).DecisionId);
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            })));
            clock.Stop();
        }
        finally
        {
            await host.DisposeAsync();
        }
        Assert.Equal(ids.Count, await AuditTable.CountAsync(database, $"decision_id IN ({string.Join(",", ids.Select(id => $"'{id}'"))})"));
        var sorted = latencies.Order().ToList();
        return new Throughput(sorted.Count, sorted.Count / clock.Elapsed.TotalSeconds, sorted.Average(), sorted[(int)(sorted.Count * 0.99)]);
    }
}
