using Google.Protobuf.WellKnownTypes;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;
using PermissionLayer.Testing.Time;

namespace PermissionLayer.Server.Tests.Sync;

/// <summary>
/// The offline-sync feed against a real server and PostgreSQL: after each admin change or clock move,
/// a device applying the feed holds exactly what StreamAccessiblePatients answers at that revision.
/// </summary>
public sealed class WatchAccessiblePatientsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddHours(1);
    private readonly ManualClock _clock = new(Start);
    private ServerHost _host = null!;
    private AdminService.AdminServiceClient _admin = null!;
    private DecisionService.DecisionServiceClient _decisions = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await ServerHost.StartAsync(await PostgresServer.CreateDatabaseAsync("sync"),
            new Dictionary<string, string?> { ["PermissionLayer:Sync:TickMilliseconds"] = "50", ["PermissionLayer:Sync:HeartbeatMilliseconds"] = "200" },
            decisionTime: _clock);
        _admin = new(_host.Channel);
        _decisions = new(_host.Channel);
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private static TokenContext Token(string user) => new() { ClientId = Requests.TrustedClient, FhirUser = user, Scope = "user/Patient.rs" };

    private FeedDevice Watch(string user, long after = 0, IEnumerable<string>? held = null, string digest = "") =>
        new(_decisions, new WatchAccessiblePatientsRequest { Token = Token(user), ResourceType = "Patient", AfterRevision = after, ContextDigest = digest }, held);

    private async Task<(long Revision, HashSet<string> Patients)> StreamAsync(string user)
    {
        var patients = new HashSet<string>();
        long revision = 0;
        using var call = _decisions.StreamAccessiblePatients(new AccessiblePatientsRequest { Token = Token(user), ResourceType = "Patient" });
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            patients.UnionWith(call.ResponseStream.Current.PatientIds);
            revision = call.ResponseStream.Current.Revision;
        }
        return (revision, patients);
    }

    private async Task<long> MembersAsync(string group, string[] add, string[] remove)
    {
        var change = new ChangeGroupMembersRequest { GroupId = group, Reason = "rota" };
        change.Upsert.AddRange(add.Select(p => new GroupMember { PatientId = p }));
        change.Remove.AddRange(remove);
        return (await _admin.ChangeGroupMembersAsync(change)).Revision;
    }

    private async Task AssertEqualsStreamAsync(FeedDevice device, string user, long revision)
    {
        var held = await device.AtAsync(revision, _clock.GetUtcNow());
        var (streamed, expected) = await StreamAsync(user);
        Assert.True(streamed >= revision);
        Assert.Equal(expected.Order(), held.Order());
    }

    /// <summary>
    /// Found by the fuzz harness: a fhir_context entry that is no Type/id, in a token whose scopes reach
    /// nobody, was read first by the feed's dependency reader, which took the validation error for a
    /// storage failure (UNAVAILABLE, "retry"). A malformed request is INVALID_ARGUMENT naming the field.
    /// </summary>
    [Fact]
    public async Task A_feed_with_a_malformed_fhir_context_is_invalid_naming_the_field()
    {
        var token = new TokenContext { ClientId = Requests.TrustedClient, FhirUser = "Practitioner/fuzzed", Scope = "Group/g1" };
        token.FhirContext.Add("xxxxxxxx");
        using var call = _decisions.WatchAccessiblePatients(new WatchAccessiblePatientsRequest { Token = token, ResourceType = "Patient" });
        var error = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("token.fhir_context", error.Status.Detail);
    }

    [Fact]
    public async Task One_group_change_reaches_every_subscriber_through_the_group_and_nobody_else()
    {
        await MembersAsync("ward", ["w1"], []);
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/a", "Group/ward"));
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/b", "Group/ward"));
        var last = (await _admin.CreateGrantAsync(Requests.Grant("Practitioner/c", "Patient/own"))).Revision;
        await using var a = Watch("Practitioner/a");
        await using var b = Watch("Practitioner/b");
        await using var c = Watch("Practitioner/c");
        await AssertEqualsStreamAsync(a, "Practitioner/a", last);
        await AssertEqualsStreamAsync(c, "Practitioner/c", last);

        var revision = await MembersAsync("ward", ["w2"], ["w1"]);

        foreach (var (device, user) in new[] { (a, "Practitioner/a"), (b, "Practitioner/b"), (c, "Practitioner/c") })
        {
            await AssertEqualsStreamAsync(device, user, revision);
        }
        Assert.Equal(["w2"], a.Set);
        var batch = Assert.Single(a.Received, m => m.EventCase == AccessibleChange.EventOneofCase.Changes).Changes;
        Assert.Equal(revision, batch.Revision);
        Assert.Contains(batch.Changes, x => x.PatientId == "w1" && x.Change == AccessChange.Left && x.Because.Contains("Group/ward"));
        Assert.Contains(batch.Changes, x => x.PatientId == "w2" && x.Change == AccessChange.Entered);
        Assert.Single(b.Received, m => m.EventCase == AccessibleChange.EventOneofCase.Changes);
        Assert.DoesNotContain(c.Received, m => m.EventCase == AccessibleChange.EventOneofCase.Changes); // untouched: no event
        Assert.Equal(["own"], c.Set);
    }

    [Fact]
    public async Task A_grant_that_ends_produces_its_LEFT_when_the_clock_passes_it()
    {
        var grant = Requests.Grant("Practitioner/locum", "Patient/short-stay");
        grant.Grant.ValidUntil = Timestamp.FromDateTimeOffset(Start.AddHours(2));
        var revision = (await _admin.CreateGrantAsync(grant)).Revision;
        await using var device = Watch("Practitioner/locum");
        await AssertEqualsStreamAsync(device, "Practitioner/locum", revision);
        Assert.Equal(["short-stay"], device.Set);

        _clock.Advance(TimeSpan.FromHours(2));

        await AssertEqualsStreamAsync(device, "Practitioner/locum", revision);
        Assert.Empty(device.Set);
        var left = Assert.Single(device.Received, m => m.EventCase == AccessibleChange.EventOneofCase.Changes).Changes.Changes.Single();
        Assert.Equal(AccessChange.Left, left.Change);
        Assert.StartsWith("period boundary", Assert.Single(left.Because));
    }

    [Fact]
    public async Task Resuming_continues_live_when_untouched_and_sends_a_fresh_snapshot_otherwise()
    {
        await MembersAsync("clinic", ["k1"], []);
        var first = (await _admin.CreateGrantAsync(Requests.Grant("Practitioner/r", "Group/clinic"))).Revision;
        string digest;
        await using (var initial = Watch("Practitioner/r"))
        {
            await AssertEqualsStreamAsync(initial, "Practitioner/r", first);
            digest = initial.ContextDigest;
        }
        Assert.StartsWith("fc1:", digest);
        var unrelated = await MembersAsync("elsewhere", ["z"], []);

        await using (var untouched = Watch("Practitioner/r", after: first, held: ["k1"], digest: digest))
        {
            await AssertEqualsStreamAsync(untouched, "Practitioner/r", unrelated);
            Assert.DoesNotContain(untouched.Received, m => m.EventCase == AccessibleChange.EventOneofCase.Snapshot);
            Assert.Equal(digest, untouched.ContextDigest);
        }
        // A resume point without its context digest cannot be shown to be this request's: a fresh snapshot.
        await using (var unbound = Watch("Practitioner/r", after: first, held: ["k1"]))
        {
            await AssertEqualsStreamAsync(unbound, "Practitioner/r", unrelated);
            Assert.True(Assert.Single(unbound.Received, m => m.EventCase == AccessibleChange.EventOneofCase.Snapshot).Snapshot.Fresh);
        }

        var touched = await MembersAsync("clinic", ["k2"], []);
        await using var resumed = Watch("Practitioner/r", after: first, held: ["k1"], digest: digest);
        await AssertEqualsStreamAsync(resumed, "Practitioner/r", touched);
        var snapshot = Assert.Single(resumed.Received, m => m.EventCase == AccessibleChange.EventOneofCase.Snapshot).Snapshot;
        Assert.True(snapshot.Fresh);
        Assert.Equal(["k1", "k2"], resumed.Set.Order());
    }

    [Fact]
    public async Task A_suspended_client_feed_loses_every_patient()
    {
        await _admin.PutClientRegistrationAsync(new PutClientRegistrationRequest
        {
            ClientId = "ward-app", Status = "active", ScopeCeiling = "user/Patient.rs", Reason = "onboarding",
        });
        await _admin.CreateGrantAsync(Requests.Grant("Client/ward-app", "*", "rs"));
        var revision = (await _admin.CreateGrantAsync(Requests.Grant("Practitioner/s", "Patient/s1"))).Revision;
        var token = new TokenContext { ClientId = "ward-app", FhirUser = "Practitioner/s", Scope = "user/Patient.rs" };
        await using var device = new FeedDevice(_decisions, new WatchAccessiblePatientsRequest { Token = token, ResourceType = "Patient" });
        Assert.Equal(["s1"], await device.AtAsync(revision, _clock.GetUtcNow()));

        var suspended = (await _admin.PutClientRegistrationAsync(new PutClientRegistrationRequest
        {
            ClientId = "ward-app", Status = "suspended", ScopeCeiling = "user/Patient.rs", Reason = "incident",
        })).Revision;

        Assert.Empty(await device.AtAsync(suspended, _clock.GetUtcNow()));
        Assert.Contains(device.Received, m => m.Changes?.Changes.Any(c => c.PatientId == "s1" && c.Change == AccessChange.Left) == true);
    }
}
