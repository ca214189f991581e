using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Audit;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Sync;

/// <summary>The feed's limits: a refused feed leaves no "opened" audit row, and a resume reads a bounded number of commits.</summary>
public sealed class FeedLimitsTests : IAsyncLifetime
{
    private string _database = null!;
    private ServerHost _host = null!;
    private AdminService.AdminServiceClient _admin = null!;
    private DecisionService.DecisionServiceClient _decisions = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await PostgresServer.CreateDatabaseAsync("synclimits");
        _host = await ServerHost.StartAsync(_database, new Dictionary<string, string?>
        {
            ["PermissionLayer:Sync:TickMilliseconds"] = "50",
            ["PermissionLayer:Sync:HeartbeatMilliseconds"] = "200",
            ["PermissionLayer:Sync:MaxFeeds"] = "1",
            ["PermissionLayer:Sync:MaxResumeChanges"] = "2",
        });
        _admin = new(_host.Channel);
        _decisions = new(_host.Channel);
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private static TokenContext Token(string user) => new() { ClientId = Requests.TrustedClient, FhirUser = user, Scope = "user/Patient.rs" };

    private FeedDevice Watch(string user, long after = 0, string digest = "", IEnumerable<string>? held = null) =>
        new(_decisions, new WatchAccessiblePatientsRequest { Token = Token(user), ResourceType = "Patient", AfterRevision = after, ContextDigest = digest }, held);

    private Task<long> OpenedRowsAsync(string user) =>
        AuditTable.CountAsync(_database, $"fhir_user = '{user}' AND reasons::text LIKE '%\"accessible-feed\"%'");

    [Fact]
    public async Task A_feed_refused_for_the_node_limit_writes_no_opened_row()
    {
        var revision = (await _admin.CreateGrantAsync(Requests.Grant("Practitioner/lim-a", "Patient/lim-1"))).Revision;
        await using var first = Watch("Practitioner/lim-a");
        await first.AtAsync(revision, DateTimeOffset.MinValue);
        Assert.Equal(1, await OpenedRowsAsync("Practitioner/lim-a"));

        using var refused = _decisions.WatchAccessiblePatients(new WatchAccessiblePatientsRequest { Token = Token("Practitioner/lim-b"), ResourceType = "Patient" });
        var error = await Assert.ThrowsAsync<RpcException>(() => refused.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal(0, await OpenedRowsAsync("Practitioner/lim-b")); // before: a row said the feed opened
    }

    [Fact]
    public async Task A_resume_past_more_commits_than_it_may_read_gets_a_fresh_snapshot()
    {
        var first = (await _admin.CreateGrantAsync(Requests.Grant("Practitioner/lim-r", "Patient/lim-r1"))).Revision;
        string digest;
        await using (var initial = Watch("Practitioner/lim-r"))
        {
            await initial.AtAsync(first, DateTimeOffset.MinValue);
            digest = initial.ContextDigest;
        }
        // Untouched commits, but more than MaxResumeChanges (2) of them.
        long last = 0;
        foreach (var other in new[] { "lim-x1", "lim-x2", "lim-x3" })
        {
            last = (await _admin.CreateGrantAsync(Requests.Grant("Practitioner/lim-other", $"Patient/{other}"))).Revision;
        }
        await using var resumed = Watch("Practitioner/lim-r", after: first, digest: digest, held: ["lim-r1"]);
        Assert.Equal(["lim-r1"], await resumed.AtAsync(last, DateTimeOffset.MinValue));
        var snapshot = Assert.Single(resumed.Received, m => m.EventCase == AccessibleChange.EventOneofCase.Snapshot).Snapshot;
        Assert.True(snapshot.Fresh); // before: read every commit since (unbounded) and resumed as a diff
    }
}
