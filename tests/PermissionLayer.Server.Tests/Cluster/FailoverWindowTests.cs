using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Storage;
using PermissionLayer.Storage.ApiKeys;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Cluster;

/// <summary>
/// Issue 14 item 11: how long the surviving node of two answers UNAVAILABLE after the other is
/// killed (a process kill, no graceful stop) while callers keep sending Checks to the survivor. The
/// same run measures the old membership settings and today's defaults, so the assertion is a ratio
/// on one machine at one moment, not a timing on a noisy machine.
/// </summary>
public sealed class FailoverWindowTests
{
    private const int Principals = 40;
    private const int Callers = 8;

    /// <summary>The membership settings before issue 14 (ours and Orleans' own defaults then).</summary>
    private static readonly Dictionary<string, string> OldDefaults = new()
    {
        ["PermissionLayer__Cluster__ProbeTimeoutSeconds"] = "5",
        ["PermissionLayer__Cluster__NumMissedProbesLimit"] = "3",
        ["PermissionLayer__Cluster__NumVotesForDeathDeclaration"] = "2",
    };

    [Fact]
    public async Task Default_settings_fail_over_in_well_under_the_old_window()
    {
        SlowScenarios.SkipUnlessEnabled();
        var old = await MeasureAsync(OldDefaults);
        SlowScenarios.Report($"old settings: {old}");
        var now = await MeasureAsync(new Dictionary<string, string>());
        SlowScenarios.Report($"defaults: {now}");

        // Both runs saw the failover (else the comparison says nothing), and the new defaults' window
        // is at most half the old one's (measured ~13 s before, the goal is ≤ 5 s on loopback).
        Assert.NotEmpty(old.Failed);
        Assert.True(now.Window * 2 <= old.Window, $"defaults: {now}; old settings: {old}");
    }

    /// <summary>
    /// Two nodes with <paramref name="overrides"/>, 40 principals with a grant each (their grains
    /// spread over both nodes), 8 callers checking them on the second node; the first node is killed
    /// and the callers go on until 5 s have passed with no failure (or 60 s in all).
    /// </summary>
    private static async Task<FailoverWindow> MeasureAsync(IReadOnlyDictionary<string, string> overrides)
    {
        var database = await PostgresServer.CreateDatabaseAsync("failover");
        var settings = new Dictionary<string, string>
        {
            ["PermissionLayer__Storage__ConnectionString"] = database,
            ["PermissionLayer__Cluster__Mode"] = "Postgres",
            ["PermissionLayer__Cluster__ClusterId"] = "failover-" + Guid.NewGuid().ToString("N")[..8],
            ["PermissionLayer__Audit__Mode"] = "Queued", // the failover, not the audit, is measured
        };
        foreach (var (name, value) in overrides)
        {
            settings[name] = value;
        }
        using var first = await ServerProcess.StartAsync(settings);
        using var second = await ServerProcess.StartAsync(settings);
        var factory = new PooledDbContextFactory<PermissionLayerDbContext>(
            new DbContextOptionsBuilder<PermissionLayerDbContext>().UseNpgsql(database).Options);
        var key = await new ApiKeyStore(factory).CreateAsync("failover", [CallerRoles.Pep, CallerRoles.Admin], "tests", DateTimeOffset.UtcNow);
        using var host = new ClusterHosts(key, first, second);
        var admin = new AdminService.AdminServiceClient(host.First);
        await admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        for (var i = 0; i < Principals; i++)
        {
            await admin.CreateGrantAsync(Requests.Grant($"Practitioner/failover-{i}", $"Patient/f-{i}"));
        }
        var decisions = new DecisionService.DecisionServiceClient(host.Second);
        for (var i = 0; i < Principals; i++)
        {
            Assert.Equal(Outcome.Permit, (await decisions.CheckAsync(Check(i))).Outcome);
        }

        var calls = new ConcurrentBag<FailoverCall>();
        var lastFailure = Stopwatch.StartNew();
        first.Kill();
        var sinceKill = Stopwatch.StartNew();
        lastFailure.Restart();
        var load = Enumerable.Range(0, Callers).Select(c => Task.Run(async () =>
        {
            for (var n = c; sinceKill.Elapsed < TimeSpan.FromSeconds(60) && (calls.IsEmpty || lastFailure.Elapsed < TimeSpan.FromSeconds(5)); n += Callers)
            {
                var started = sinceKill.Elapsed;
                try
                {
                    var decision = await decisions.CheckAsync(Check(n % Principals), deadline: DateTime.UtcNow.AddSeconds(5));
                    // Failover may delay an answer or fail it closed; it must never change it.
                    Assert.Equal(Outcome.Permit, decision.Outcome);
                    calls.Add(new FailoverCall(started, null));
                }
                catch (RpcException e)
                {
                    Assert.True(e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded, $"failover answered {e.Status}");
                    calls.Add(new FailoverCall(started, e.StatusCode));
                    lastFailure.Restart();
                    await Task.Delay(20);
                }
            }
        })).ToList();
        await Task.WhenAll(load);
        var window = new FailoverWindow([.. calls.OrderBy(c => c.StartedAfterKill)]);
        Assert.True(lastFailure.Elapsed >= TimeSpan.FromSeconds(5), $"calls still failing 60 s after the kill: {window}");
        return window;
    }

    private static CheckRequest Check(int principal) => Requests.ReadPatient($"Practitioner/failover-{principal}", $"f-{principal}");
}
