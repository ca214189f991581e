using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Cluster;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Storage;
using PermissionLayer.Storage.ApiKeys;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Sync;

/// <summary>
/// A feed resumes from a position it handed out wherever and whenever the device comes back: after
/// the server restarted, on the other node of a cluster, and — when the change log no longer holds
/// the changes since — with a fresh snapshot instead of an error. The server keeps no device state.
/// </summary>
public sealed class FeedResumeTests
{
    private static readonly Dictionary<string, string?> Fast = new()
    {
        ["PermissionLayer:Sync:TickMilliseconds"] = "50", ["PermissionLayer:Sync:HeartbeatMilliseconds"] = "200",
    };

    private static TokenContext Token(string user) => new() { ClientId = Requests.TrustedClient, FhirUser = user, Scope = "user/Patient.rs" };

    private static WatchAccessiblePatientsRequest Request(string user, long after = 0, string digest = "") =>
        new() { Token = Token(user), ResourceType = "Patient", AfterRevision = after, ContextDigest = digest };

    private static bool SentSnapshot(FeedDevice device) => device.Received.Any(m => m.EventCase == AccessibleChange.EventOneofCase.Snapshot);

    [Fact]
    public async Task After_a_restart_an_untouched_resume_is_a_diff_and_a_purged_change_log_gives_a_fresh_snapshot()
    {
        var database = await PostgresServer.CreateDatabaseAsync("syncrestart");
        long revision;
        string digest;
        await using (var before = await ServerHost.StartAsync(database, Fast))
        {
            var admin = new AdminService.AdminServiceClient(before.Channel);
            await admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
            var granted = (await admin.CreateGrantAsync(Requests.Grant("Practitioner/rs-a", "Patient/rs-1"))).Revision;
            await using var device = new FeedDevice(new DecisionService.DecisionServiceClient(before.Channel), Request("Practitioner/rs-a"));
            Assert.Equal(["rs-1"], await device.AtAsync(granted, DateTimeOffset.MinValue));
            (revision, digest) = (device.Revision, device.ContextDigest);
        }

        await using var after = await ServerHost.StartAsync(database, Fast);
        var decisions = new DecisionService.DecisionServiceClient(after.Channel);
        var unrelated = (await new AdminService.AdminServiceClient(after.Channel).CreateGrantAsync(Requests.Grant("Practitioner/rs-b", "Patient/rs-2"))).Revision;
        await using (var resumed = new FeedDevice(decisions, Request("Practitioner/rs-a", revision, digest), held: ["rs-1"]))
        {
            Assert.Equal(["rs-1"], await resumed.AtAsync(unrelated, DateTimeOffset.MinValue));
            Assert.False(SentSnapshot(resumed)); // a new process: nothing of the device was kept, and none was needed
        }

        // The change log no longer holds the revision (retention, a restore): a fresh snapshot, not an error.
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var purge = new NpgsqlCommand($"DELETE FROM entitlement_changes WHERE revision <= {revision}", connection);
            Assert.True(await purge.ExecuteNonQueryAsync() > 0);
        }
        await using var old = new FeedDevice(decisions, Request("Practitioner/rs-a", revision, digest), held: ["rs-1", "rs-stale"]);
        Assert.Equal(["rs-1"], await old.AtAsync(unrelated, DateTimeOffset.MinValue));
        Assert.True(Assert.Single(old.Received, m => m.EventCase == AccessibleChange.EventOneofCase.Snapshot).Snapshot.Fresh);
    }

    [Fact]
    public async Task A_feed_resumes_on_the_other_node_and_follows_changes_written_through_the_first()
    {
        var database = await PostgresServer.CreateDatabaseAsync("synccluster");
        var settings = new Dictionary<string, string>
        {
            ["PermissionLayer__Storage__ConnectionString"] = database,
            ["PermissionLayer__Cluster__Mode"] = "Postgres",
            ["PermissionLayer__Cluster__ClusterId"] = "sync-" + Guid.NewGuid().ToString("N")[..8],
            ["PermissionLayer__Sync__TickMilliseconds"] = "50",
            ["PermissionLayer__Sync__HeartbeatMilliseconds"] = "200",
        };
        using var first = await ServerProcess.StartAsync(settings, TimeSpan.FromMinutes(3));
        using var second = await ServerProcess.StartAsync(settings, TimeSpan.FromMinutes(3));
        var factory = new PooledDbContextFactory<PermissionLayerDbContext>(new DbContextOptionsBuilder<PermissionLayerDbContext>().UseNpgsql(database).Options);
        var key = await new ApiKeyStore(factory).CreateAsync("sync-cluster-test", [CallerRoles.Pep, CallerRoles.Admin], "tests", DateTimeOffset.UtcNow);
        using var hosts = new ClusterHosts(key, first, second);
        var admin = new AdminService.AdminServiceClient(hosts.First);
        await admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        var granted = (await admin.CreateGrantAsync(Requests.Grant("Practitioner/cl-a", "Patient/cl-1"))).Revision;

        long revision;
        string digest;
        await using (var onFirst = new FeedDevice(new DecisionService.DecisionServiceClient(hosts.First), Request("Practitioner/cl-a")))
        {
            Assert.Equal(["cl-1"], await onFirst.AtAsync(granted, DateTimeOffset.MinValue));
            (revision, digest) = (onFirst.Revision, onFirst.ContextDigest);
        }

        await using var onSecond = new FeedDevice(new DecisionService.DecisionServiceClient(hosts.Second), Request("Practitioner/cl-a", revision, digest), held: ["cl-1"]);
        Assert.Equal(["cl-1"], await onSecond.AtAsync(revision, DateTimeOffset.MinValue));
        var more = (await admin.CreateGrantAsync(Requests.Grant("Practitioner/cl-a", "Patient/cl-2"))).Revision;
        Assert.Equal(["cl-1", "cl-2"], (await onSecond.AtAsync(more, DateTimeOffset.MinValue)).Order());
        Assert.False(SentSnapshot(onSecond)); // resumed as a diff on a node that never served this device
        Assert.Contains(onSecond.Received, m => m.Changes?.Changes.Any(c => c.PatientId == "cl-2" && c.Change == AccessChange.Entered) == true);
    }
}
