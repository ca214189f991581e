using System.Diagnostics;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Grains.Sync;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Sync;

/// <summary>
/// 1,000 concurrent feeds on one node while changes flow: every device ends equal to the stream (no
/// event lost, none told to resume), and the node's feed memory stays within its bounds (asserted on
/// the hub's counters, not on time). It also prints the figures docs/benchmarks.md reports: delivery
/// latency from commit to the last of 1,000 devices, and the cost of a 500-member group change.
/// </summary>
public sealed class FeedScaleTests(ITestOutputHelper log) : IAsyncLifetime
{
    /// <summary>The figures, to the test log and, when PERMISSIONLAYER_SYNC_FIGURES names a file, to it (docs/benchmarks.md).</summary>
    private sealed class Figures(ITestOutputHelper log)
    {
        private readonly string? _file = Environment.GetEnvironmentVariable("PERMISSIONLAYER_SYNC_FIGURES");

        public void WriteLine(string line)
        {
            log.WriteLine(line);
            if (_file is { Length: > 0 })
            {
                File.AppendAllText(_file, line + Environment.NewLine);
            }
        }
    }

    private readonly Figures output = new(log);

    private const int Users = 10;
    private const int DevicesPerUser = 100;
    private ServerHost _host = null!;
    private AdminService.AdminServiceClient _admin = null!;
    private DecisionService.DecisionServiceClient _decisions = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await ServerHost.StartAsync(await PostgresServer.CreateDatabaseAsync("syncscale"),
            new Dictionary<string, string?> { ["PermissionLayer:Sync:TickMilliseconds"] = "50", ["PermissionLayer:Sync:HeartbeatMilliseconds"] = "1000" });
        _admin = new(_host.Channel);
        _decisions = new(_host.Channel);
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private static string User(int i) => $"Practitioner/scale-{i}";

    private static TokenContext Token(string user) => new() { ClientId = Requests.TrustedClient, FhirUser = user, Scope = "user/Patient.rs" };

    private async Task<HashSet<string>> StreamAsync(string user)
    {
        var patients = new HashSet<string>();
        using var call = _decisions.StreamAccessiblePatients(new AccessiblePatientsRequest { Token = Token(user), ResourceType = "Patient" });
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            patients.UnionWith(call.ResponseStream.Current.PatientIds);
        }
        return patients;
    }

    private async Task<long> MembersAsync(IEnumerable<string> add, IEnumerable<string> remove)
    {
        var change = new ChangeGroupMembersRequest { GroupId = "scale-ward", Reason = "rota" };
        change.Upsert.AddRange(add.Select(p => new GroupMember { PatientId = p }));
        change.Remove.AddRange(remove);
        return (await _admin.ChangeGroupMembersAsync(change)).Revision;
    }

    /// <summary>Waits for every device to reach the revision; returns when the last change batch arrived.</summary>
    private static async Task<DateTime> AllAtAsync(IReadOnlyList<(int User, FeedDevice Device)> devices, long revision)
    {
        foreach (var (_, device) in devices)
        {
            await device.AtAsync(revision, DateTimeOffset.MinValue, TimeSpan.FromSeconds(120));
        }
        return devices.Max(d => d.Device.LastChangeAt);
    }

    [Fact]
    public async Task A_thousand_feeds_follow_flowing_changes_with_bounded_memory_and_no_event_lost()
    {
        await MembersAsync(["scale-seed"], []);
        long revision = 0;
        for (var i = 0; i < Users; i++)
        {
            revision = (await _admin.CreateGrantAsync(Requests.Grant(User(i), "Group/scale-ward"))).Revision;
        }
        // One more practitioner whose feeds no change below touches.
        revision = (await _admin.CreateGrantAsync(Requests.Grant("Practitioner/scale-aside", "Patient/aside"))).Revision;
        var hub = (AccessibleFeedHub)_host.Services.GetService(typeof(AccessibleFeedHub))!;
        var recomputes = (Features.Sync.FeedRecomputes)_host.Services.GetService(typeof(Features.Sync.FeedRecomputes))!;
        var devices = new List<(int User, FeedDevice Device)>();
        var opening = Stopwatch.StartNew();
        try
        {
            for (var i = 0; i < Users * DevicesPerUser; i++)
            {
                devices.Add((i % Users, new FeedDevice(_decisions, new WatchAccessiblePatientsRequest { Token = Token(User(i % Users)), ResourceType = "Patient" })));
            }
            await using var aside = new FeedDevice(_decisions, new WatchAccessiblePatientsRequest { Token = Token("Practitioner/scale-aside"), ResourceType = "Patient" });
            await AllAtAsync(devices, revision);
            output.WriteLine($"{devices.Count} feeds opened (snapshots delivered) in {opening.Elapsed.TotalSeconds:F1} s");
            Assert.Equal(devices.Count + 1, hub.Stats().Feeds);
            var before = hub.Stats();
            var computedBefore = recomputes.Counts;

            // The cost of a 500-member group change reaching 1,000 feeds.
            var big = Enumerable.Range(0, 500).Select(i => $"scale-p{i}").ToList();
            var committed = DateTime.UtcNow;
            var added = await MembersAsync(big, []);
            var delivered = await AllAtAsync(devices, added);
            output.WriteLine($"500-member group change: commit → last of {devices.Count} devices {(delivered - committed).TotalMilliseconds:F0} ms");
            var afterBig = hub.Stats();
            var computedAfter = recomputes.Counts;
            output.WriteLine($"signals issued for it: {afterBig.SignalsIssued - before.SignalsIssued} (one per touched feed, coalesced); " +
                $"set computations {computedAfter.Started - computedBefore.Started}, shared by feeds of the same context {computedAfter.Shared - computedBefore.Shared}");
            Assert.True(computedAfter.Shared > computedBefore.Shared); // 100 devices per user: far fewer computations than feeds

            // Changes flowing: small commits back to back, the devices reading as they come.
            long last = added;
            var latencies = new List<double>();
            for (var step = 0; step < 10; step++)
            {
                var at = DateTime.UtcNow;
                last = await MembersAsync([$"scale-q{step}"], [$"scale-p{step}"]);
                if (step % 3 == 0)
                {
                    latencies.Add((await AllAtAsync(devices, last) - at).TotalMilliseconds);
                }
                var stats = hub.Stats();
                Assert.True(stats.MaxPendingPerFeed <= stats.CapacityPerFeed);
                Assert.True(stats.RetainedChanges <= stats.Window);
            }
            await AllAtAsync(devices, last);
            output.WriteLine($"one-member change: commit → last of {devices.Count} devices, ms: {string.Join(", ", latencies.Select(l => l.ToString("F0")))}");

            var expected = new Dictionary<int, HashSet<string>>();
            for (var i = 0; i < Users; i++)
            {
                expected[i] = await StreamAsync(User(i));
            }
            Assert.Equal(501, expected[0].Count);
            foreach (var (user, device) in devices)
            {
                Assert.True(expected[user].SetEquals(device.Set), $"a device of {User(user)} holds {device.Set.Count}, the stream {expected[user].Count}");
                Assert.DoesNotContain(device.Received, m => m.EventCase == AccessibleChange.EventOneofCase.ResumeRequired);
            }
            var end = hub.Stats();
            Assert.Equal(0, end.Overflowed);
            Assert.True(end.PendingSignals <= end.Feeds * end.CapacityPerFeed);
            // Untouched: the aside feed got no event at all.
            Assert.DoesNotContain(aside.Received, m => m.EventCase == AccessibleChange.EventOneofCase.Changes);
        }
        finally
        {
            foreach (var (_, device) in devices)
            {
                await device.DisposeAsync();
            }
        }
    }
}
