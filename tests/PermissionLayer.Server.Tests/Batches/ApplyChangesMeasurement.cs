using System.Diagnostics;
using System.Globalization;
using System.Text;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PermissionLayer.Contracts.V1;
using Grant = PermissionLayer.Core.Entitlements.Grant;
using PermissionLayer.Core.Requests;
using PermissionLayer.Grains;
using PermissionLayer.Grains.Abstractions.Principals;
using PermissionLayer.Grains.Batches;
using PermissionLayer.Grains.Principals;
using PermissionLayer.Grains.Revisions;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Storage;
using PermissionLayer.Storage.Batches;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Batches;

/// <summary>
/// The figures of docs/reliability.md ("ApplyChanges"), on demand (<c>PERMISSIONLAYER_BATCH_MEASURE=1</c>):
/// for 100 changes and the largest batch, the row-by-row path the batch had before (its store loop and
/// its one-after-another grain reloads, <see cref="RowByRowBatch"/>) against today's set-based batch,
/// both on the same server and database in the same run; and how long a single CreateGrant waits
/// while each holds the revision lock. Figures go to the test output and to
/// <c>PERMISSIONLAYER_BATCH_REPORT</c> (default: a file in the temp folder).
/// </summary>
public sealed class ApplyChangesMeasurement(ServerFixture server, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    private readonly AdminService.AdminServiceClient _admin = new(server.Host.Channel);
    private readonly StringBuilder _report = new();
    private int _run;
    private int _failedSingles;

    [Fact]
    public async Task Row_by_row_against_set_based()
    {
        Assert.SkipUnless(Environment.GetEnvironmentVariable("PERMISSIONLAYER_BATCH_MEASURE") == "1", "set PERMISSIONLAYER_BATCH_MEASURE=1 to measure");
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        await Measure(20, repeats: 1, record: false); // warm-up: JIT, connection pool, grain directory
        Line("| changes | path | lock held (storage transaction), ms per change | end to end (commit + reloads), ms per change | CreateGrant during it, ms |");
        Line("|---|---|---|---|---|");
        await Measure(100, repeats: 3, record: true);
        await Measure(FieldLimits.For("changes").MaxItems, repeats: 2, record: true);
        var path = Environment.GetEnvironmentVariable("PERMISSIONLAYER_BATCH_REPORT") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Path.GetTempPath(), "applychanges-figures.md");
        Line($"CreateGrant calls that failed while a batch held the lock: {_failedSingles}");
        await File.WriteAllTextAsync(path, _report.ToString(), TestContext.Current.CancellationToken);
        output.WriteLine(_report.ToString());
    }

    private async Task Measure(int changes, int repeats, bool record)
    {
        var oldRuns = new List<Figures>();
        var newRuns = new List<Figures>();
        for (var r = 0; r < repeats; r++)
        {
            oldRuns.Add(await RowByRowAsync(changes));
            newRuns.Add(await SetBasedAsync(changes));
        }
        if (!record)
        {
            return;
        }
        var old = Figures.Median(oldRuns);
        var now = Figures.Median(newRuns);
        Line($"| {changes} | row by row (before) | {Per(old.LockMs, changes)} | {Per(old.EndToEndMs, changes)} | {old.ConcurrentMs:F0} |");
        Line($"| {changes} | set-based (now) | {Per(now.LockMs, changes)} | {Per(now.EndToEndMs, changes)} | {now.ConcurrentMs:F0} |");
        Line($"| {changes} | ratio before ÷ now | {old.LockMs / now.LockMs:F1} × | {old.EndToEndMs / now.EndToEndMs:F1} × | {old.ConcurrentMs / now.ConcurrentMs:F1} × |");
    }

    /// <summary>The batch as it was: the store loop in one transaction, then every principal's reload in turn.</summary>
    private async Task<Figures> RowByRowAsync(int changes)
    {
        var contexts = server.Host.Services.GetRequiredService<IDbContextFactory<PermissionLayerDbContext>>();
        var grants = server.Host.Services.GetRequiredService<IGrainFactory>();
        var grantList = Grants(changes);
        var lockClock = new Stopwatch();
        var endToEnd = Stopwatch.StartNew();
        var running = GrainReloads.CommitThenReloadAsync(
            async () =>
            {
                lockClock.Start();
                var revisions = await RowByRowBatch.CreateAsync(contexts, grantList, DateTimeOffset.UtcNow);
                lockClock.Stop();
                return revisions;
            },
            revisions => revisions.Max(),
            _ => grantList.Select(g => (Func<Task>)(() => grants.GetGrain<IPrincipalGrain>(g.Principal).Reload())),
            server.Host.Services.GetRequiredService<AfterCommitHook>(), server.Host.Services.GetRequiredService<RevisionSync>());
        var concurrent = await ConcurrentCreateAsync(running);
        await running;
        endToEnd.Stop();
        return new Figures(lockClock.Elapsed.TotalMilliseconds, endToEnd.Elapsed.TotalMilliseconds, concurrent);
    }

    /// <summary>Today's batch over gRPC (validation, the set-based store, bounded parallel reloads), and its store alone.</summary>
    private async Task<Figures> SetBasedAsync(int changes)
    {
        var endToEnd = Stopwatch.StartNew();
        var running = _admin.ApplyChangesAsync(BatchRequests.Batch(BatchRequests.Grants($"m{_run++}", changes)), deadline: DateTime.UtcNow.AddMinutes(5)).ResponseAsync;
        var concurrent = await ConcurrentCreateAsync(running);
        await running;
        endToEnd.Stop();
        var store = server.Host.Services.GetRequiredService<AdminBatchStore>();
        var writes = Grants(changes).Select(g => (BatchWrite)new CreateGrantWrite(g, null)).ToList();
        var lockClock = Stopwatch.StartNew();
        await store.ApplyAsync(writes, DateTimeOffset.UtcNow);
        lockClock.Stop();
        return new Figures(lockClock.Elapsed.TotalMilliseconds, endToEnd.Elapsed.TotalMilliseconds, concurrent);
    }

    /// <summary>A single CreateGrant started while the batch holds the revision lock (or once it is done): its latency.</summary>
    private async Task<double> ConcurrentCreateAsync(Task batch)
    {
        while (!batch.IsCompleted && !await ChangeLogRows.RevisionLockHeldAsync(server.ConnectionString))
        {
            await Task.Delay(2);
        }
        var clock = Stopwatch.StartNew();
        try
        {
            await _admin.CreateGrantAsync(Requests.Grant($"Practitioner/m-single-{_run++}", "Patient/m-single"), deadline: DateTime.UtcNow.AddMinutes(5));
        }
        catch (RpcException e)
        {
            _report.AppendLine($"<!-- a CreateGrant during a batch failed after {clock.Elapsed.TotalMilliseconds:F0} ms: {e.StatusCode} -->");
            _failedSingles++;
        }
        return clock.Elapsed.TotalMilliseconds;
    }

    private List<Grant> Grants(int count)
    {
        var run = _run++;
        var now = DateTimeOffset.UtcNow;
        return [.. Enumerable.Range(0, count).Select(i =>
            new GrantDraft($"Patient/m{run}-p{i}", "rs", [], [], null, null, "measured", "tests").ToGrant($"Practitioner/m{run}-{i}", now, _ => true))];
    }

    private static string Per(double ms, int changes) => (ms / changes).ToString("F2", CultureInfo.InvariantCulture);

    private void Line(string line) => _report.AppendLine(line);

    private sealed record Figures(double LockMs, double EndToEndMs, double ConcurrentMs)
    {
        public static Figures Median(IReadOnlyList<Figures> runs) => new(
            MedianOf(runs.Select(r => r.LockMs)), MedianOf(runs.Select(r => r.EndToEndMs)), MedianOf(runs.Select(r => r.ConcurrentMs)));

        private static double MedianOf(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        }
    }
}
