using Grpc.Core;
using Npgsql;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Storage.ApiKeys;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Review;

/// <summary>
/// Adversarial review, tenth round: the offline-sync feed (WatchAccessiblePatients, issue 16). Its
/// promise: after applying the events up to revision R a device holds exactly what
/// StreamAccessiblePatients answers at R, and LEFT means purge. Each test drives a real server and
/// PostgreSQL into a state where a device keeps a patient the stream no longer admits (fail open), and
/// asserts the fail-closed answer; it fails while the hole is open.
/// </summary>
public sealed class ReviewHoleTests10 : IAsyncLifetime
{
    private string _database = null!;
    private ServerHost _host = null!;
    private AdminService.AdminServiceClient _admin = null!;
    private DecisionService.DecisionServiceClient _decisions = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await PostgresServer.CreateDatabaseAsync("review10");
        _host = await ServerHost.StartAsync(_database,
            new Dictionary<string, string?> { ["PermissionLayer:Sync:TickMilliseconds"] = "50", ["PermissionLayer:Sync:HeartbeatMilliseconds"] = "200" });
        _admin = new(_host.Channel);
        _decisions = new(_host.Channel);
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private static TokenContext Token(string user, params string[] fhirContext)
    {
        var token = new TokenContext { ClientId = Requests.TrustedClient, FhirUser = user, Scope = "user/Patient.rs" };
        token.FhirContext.AddRange(fhirContext);
        return token;
    }

    private async Task<long> MembersAsync(string group, string[] add, string[] remove)
    {
        var change = new ChangeGroupMembersRequest { GroupId = group, Reason = "rota" };
        change.Upsert.AddRange(add.Select(p => new GroupMember { PatientId = p }));
        change.Remove.AddRange(remove);
        return (await _admin.ChangeGroupMembersAsync(change)).Revision;
    }

    private async Task<(long Revision, HashSet<string> Patients)> StreamAsync(TokenContext token)
    {
        var patients = new HashSet<string>();
        long revision = 0;
        using var call = _decisions.StreamAccessiblePatients(new AccessiblePatientsRequest { Token = token, ResourceType = "Patient" });
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            patients.UnionWith(call.ResponseStream.Current.PatientIds);
            revision = call.ResponseStream.Current.Revision;
        }
        return (revision, patients);
    }

    /// <summary>
    /// Opens a feed, applies it as a device would (starting from <paramref name="held"/> on a resume)
    /// until it is known right at revision ≥ <paramref name="atLeast"/>, and returns the device's set,
    /// its revision and what it received.
    /// </summary>
    private async Task<(HashSet<string> Set, long Revision, List<AccessibleChange> Received)> ApplyFeedAsync(
        TokenContext token, long after, IEnumerable<string> held, long atLeast)
    {
        var set = new HashSet<string>(held);
        var pending = new HashSet<string>();
        var received = new List<AccessibleChange>();
        long revision = after;
        var settled = false;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var call = _decisions.WatchAccessiblePatients(
            new WatchAccessiblePatientsRequest { Token = token, ResourceType = "Patient", AfterRevision = after }, cancellationToken: stop.Token);
        try
        {
            while (await call.ResponseStream.MoveNext(stop.Token))
            {
                var message = call.ResponseStream.Current;
                received.Add(message);
                switch (message.EventCase)
                {
                    case AccessibleChange.EventOneofCase.Snapshot:
                        if (message.Snapshot.SnapshotBegin)
                        {
                            pending = [];
                        }
                        pending.UnionWith(message.Snapshot.PatientIds);
                        if (message.Snapshot.SnapshotEnd)
                        {
                            set = pending;
                            revision = message.Snapshot.Revision;
                            settled = true;
                        }
                        break;
                    case AccessibleChange.EventOneofCase.Changes:
                        foreach (var change in message.Changes.Changes)
                        {
                            _ = change.Change == AccessChange.Entered ? set.Add(change.PatientId) : set.Remove(change.PatientId);
                        }
                        revision = message.Changes.Revision;
                        break;
                    case AccessibleChange.EventOneofCase.Heartbeat:
                        revision = Math.Max(revision, message.Heartbeat.Revision);
                        settled = true;
                        break;
                }
                if (settled && revision >= atLeast)
                {
                    return (set, revision, received);
                }
            }
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
        {
        }
        throw new TimeoutException($"the feed did not reach revision {atLeast} (it is at {revision}; received {received.Count} messages)");
    }

    // ---- 1. A resume is not bound to the request it resumes. after_revision is a bare number: the
    // server checks only that no commit since touched the *new* request's dependencies and no boundary
    // of the *new* request's facts passed, then answers "your set is right" (a heartbeat, no snapshot).
    // Nothing ties R to the token, interaction or resource type the device's set was computed for, so
    // when any of those differ (a new token after re-login with another fhirContext group, another
    // organization, another user on a shared device) the device keeps the old request's patients and
    // never gets LEFT for them. The token changes without any commit, so no dependency test sees it.

    [Fact]
    public async Task A_resume_with_another_fhirContext_group_does_not_keep_the_old_groups_patients()
    {
        await MembersAsync("rv10-ward-a", ["rv10-pa"], []);
        await MembersAsync("rv10-ward-b", ["rv10-pb"], []);
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/rv10-nurse", "Group/rv10-ward-a"));
        var last = (await _admin.CreateGrantAsync(Requests.Grant("Practitioner/rv10-nurse", "Group/rv10-ward-b"))).Revision;

        // Monday: launched in ward A.
        var monday = await ApplyFeedAsync(Token("Practitioner/rv10-nurse", "Group/rv10-ward-a"), 0, [], last);
        Assert.Equal(["rv10-pa"], monday.Set);

        // Tuesday: the app is launched in ward B (a new token, same device, no admin change at all).
        var tuesday = Token("Practitioner/rv10-nurse", "Group/rv10-ward-b");
        var resumed = await ApplyFeedAsync(tuesday, monday.Revision, monday.Set, monday.Revision);
        var (_, expected) = await StreamAsync(tuesday);
        Assert.Equal(["rv10-pb"], expected);
        Assert.Equal(expected.Order(), resumed.Set.Order()); // today: {rv10-pa} — ward A's patient is never purged
    }

    [Fact]
    public async Task A_resume_after_the_user_changed_organization_does_not_keep_a_patient_whose_consent_only_trusts_the_old_one()
    {
        // rv10-o opts out except for one organization (a consent actor matched through user_affiliations).
        await _admin.PutConsentAsync(new PutConsentRequest
        {
            ConsentId = "rv10-optout-but", Reason = "signed", ConsentJson = """
                {"resourceType":"Consent","id":"rv10-optout-but","status":"active",
                 "scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},
                 "category":[{"coding":[{"system":"http://loinc.org","code":"59284-0"}]}],
                 "patient":{"reference":"Patient/rv10-o"},
                 "policyRule":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"OPTOUT"}]},
                 "provision":{"type":"deny","provision":[{"type":"permit","actor":[{"role":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ParticipationType","code":"PRCP"}]},"reference":{"reference":"Organization/rv10-clinic"}}]}]}}
                """,
        });
        var last = (await _admin.CreateGrantAsync(Requests.Grant("Practitioner/rv10-doc", "Patient/rv10-o"))).Revision;

        var atClinic = Token("Practitioner/rv10-doc");
        atClinic.UserAffiliations.Add("Organization/rv10-clinic");
        var before = await ApplyFeedAsync(atClinic, 0, [], last);
        Assert.Equal(["rv10-o"], before.Set);

        // She moved to another organization: the FHIR server's new token says so.
        var elsewhere = Token("Practitioner/rv10-doc");
        elsewhere.UserAffiliations.Add("Organization/rv10-elsewhere");
        var resumed = await ApplyFeedAsync(elsewhere, before.Revision, before.Set, before.Revision);
        var (_, expected) = await StreamAsync(elsewhere);
        Assert.Empty(expected);
        Assert.Equal(expected.Order(), resumed.Set.Order()); // today: {rv10-o} kept against her consent
    }

    [Fact]
    public async Task A_resume_by_another_user_on_a_shared_device_does_not_keep_the_first_users_patients()
    {
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/rv10-day", "Patient/rv10-d1"));
        var last = (await _admin.CreateGrantAsync(Requests.Grant("Practitioner/rv10-night", "Patient/rv10-n1"))).Revision;

        var day = await ApplyFeedAsync(Token("Practitioner/rv10-day"), 0, [], last);
        Assert.Equal(["rv10-d1"], day.Set);

        // The night shift logs in on the same tablet; the app resumes from the revision it holds.
        var night = Token("Practitioner/rv10-night");
        var resumed = await ApplyFeedAsync(night, day.Revision, day.Set, day.Revision);
        var (_, expected) = await StreamAsync(night);
        Assert.Equal(["rv10-n1"], expected);
        Assert.Equal(expected.Order(), resumed.Set.Order()); // today: {rv10-d1}, and rv10-n1 never ENTERED
    }

    // ---- 2. A commit between a recompute and its Recomputed() is tested against the old facts. The
    // hub checks each commit once (AccessibleFeed.Check advances _seen) against the facts of the last
    // finished recompute. While a recompute is in flight (its set computed at revision N, its facts
    // being read, its audit row or batch being written), a commit N+1 that touches only a dependency
    // the in-flight recompute added (a group just granted) is judged untouched; after Recomputed the
    // next tick confirms N+1 without a recompute, and the device holds the set of N at N+1. Here the
    // facts read is held up by a lock on the consents table (any slow read or audit write does the same).

    [Fact]
    public async Task A_membership_removed_while_the_feed_recomputes_for_the_grant_of_its_group_is_not_missed()
    {
        var token = Token("Practitioner/rv10-race");
        await MembersAsync("rv10-new-ward", ["rv10-moved"], []);
        var start = (await _admin.CreateGrantAsync(Requests.Grant("Practitioner/rv10-race", "Patient/rv10-own"))).Revision;

        var set = new HashSet<string>();
        long revision = 0;
        var gate = new Lock();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var call = _decisions.WatchAccessiblePatients(new WatchAccessiblePatientsRequest { Token = token, ResourceType = "Patient" }, cancellationToken: stop.Token);
        var reading = Task.Run(async () =>
        {
            try
            {
                while (await call.ResponseStream.MoveNext(stop.Token))
                {
                    var message = call.ResponseStream.Current;
                    lock (gate)
                    {
                        switch (message.EventCase)
                        {
                            case AccessibleChange.EventOneofCase.Snapshot:
                                set.UnionWith(message.Snapshot.PatientIds);
                                revision = message.Snapshot.Revision;
                                break;
                            case AccessibleChange.EventOneofCase.Changes:
                                foreach (var change in message.Changes.Changes)
                                {
                                    _ = change.Change == AccessChange.Entered ? set.Add(change.PatientId) : set.Remove(change.PatientId);
                                }
                                revision = message.Changes.Revision;
                                break;
                            case AccessibleChange.EventOneofCase.Heartbeat:
                                revision = Math.Max(revision, message.Heartbeat.Revision);
                                break;
                        }
                    }
                }
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
            {
            }
        });
        async Task<HashSet<string>> HeldAtAsync(long atLeast)
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (DateTime.UtcNow < deadline)
            {
                lock (gate)
                {
                    if (revision >= atLeast)
                    {
                        return [.. set];
                    }
                }
                await Task.Delay(20);
            }
            throw new TimeoutException($"the feed did not reach revision {atLeast} (it is at {revision})");
        }

        Assert.Equal(["rv10-own"], await HeldAtAsync(start));

        await using (var connection = new NpgsqlConnection(_database))
        {
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var lockConsents = new NpgsqlCommand("LOCK TABLE consents IN ACCESS EXCLUSIVE MODE", connection, transaction))
            {
                await lockConsents.ExecuteNonQueryAsync();
            }
            // N: the group is granted. The feed is touched (its principal) and recomputes at N: the set
            // now holds rv10-moved; its facts read (which would add the group) waits for the lock.
            await _admin.CreateGrantAsync(Requests.Grant("Practitioner/rv10-race", "Group/rv10-new-ward"));
            await Task.Delay(1000);
            // N+1: rv10-moved leaves the group, while that recompute is in flight.
            await MembersAsync("rv10-new-ward", [], ["rv10-moved"]);
            await Task.Delay(1000);
            await transaction.RollbackAsync();
        }
        var (streamed, expected) = await StreamAsync(token);
        Assert.Equal(["rv10-own"], expected);

        var held = await HeldAtAsync(streamed);
        await stop.CancelAsync();
        await reading;
        Assert.Equal(expected.Order(), held.Order()); // today: {rv10-own, rv10-moved} confirmed at N+1 and never LEFT
    }

    // ---- 3. A revoked API key keeps its open feeds. Authentication runs once, when the call starts;
    // the revocation watcher only drops the key from the cache, so a feed opened with it goes on
    // sending patient ids (ENTERED events of new patients included) for as long as the stream lives —
    // which for an offline-sync feed is indefinitely. StreamAccessiblePatients, Check and a new feed are
    // refused (UNAUTHENTICATED) within seconds; an open feed must end the same way.

    [Fact]
    public async Task A_feed_opened_with_an_API_key_that_is_then_revoked_ends_and_discloses_nothing_more()
    {
        var first = (await _admin.CreateGrantAsync(Requests.Grant("Practitioner/rv10-kept", "Patient/rv10-k1"))).Revision;
        var key = await _host.CreateKeyAsync("rv10-pep", CallerRoles.Pep);
        using var channel = _host.ChannelWith(key);
        var decisions = new DecisionService.DecisionServiceClient(channel);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var call = decisions.WatchAccessiblePatients(
            new WatchAccessiblePatientsRequest { Token = Token("Practitioner/rv10-kept"), ResourceType = "Patient" }, cancellationToken: stop.Token);
        var entered = new List<string>();
        var revoked = new TaskCompletionSource();
        var reading = Task.Run(async () =>
        {
            try
            {
                while (await call.ResponseStream.MoveNext(stop.Token))
                {
                    if (call.ResponseStream.Current.Changes is { } batch)
                    {
                        lock (entered)
                        {
                            entered.AddRange(batch.Changes.Where(c => c.Change == AccessChange.Entered).Select(c => c.PatientId));
                        }
                    }
                }
                return (StatusCode?)StatusCode.OK;
            }
            catch (RpcException e)
            {
                return e.StatusCode;
            }
        });
        await Task.Delay(500);

        ApiKeySecret.TryParse(key, out var id, out _);
        Assert.True(await ((ApiKeyStore)_host.Services.GetService(typeof(ApiKeyStore))!).RevokeAsync(id!, DateTimeOffset.UtcNow));
        // The key is refused everywhere else within seconds (CallerAuthenticationTests).
        await Task.Delay(5000);
        await Assert.ThrowsAsync<RpcException>(() => decisions.PingAsync(new PingRequest()).ResponseAsync);

        // A new patient for her, after the key is known revoked on this node.
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/rv10-kept", "Patient/rv10-k2"));
        var ended = await Task.WhenAny(reading, Task.Delay(5000)) == reading;
        lock (entered)
        {
            Assert.DoesNotContain("rv10-k2", entered); // today: ENTERED rv10-k2 reaches a revoked caller
        }
        Assert.True(ended, "the feed of a revoked key is still open"); // today: still open
        Assert.NotEqual(StatusCode.OK, await reading);
        Assert.True(first > 0);
    }
}
