using System.Diagnostics;
using System.Net;
using System.Text;
using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Features.Telemetry;
using PermissionLayer.Server.Tests.Slice;
using static PermissionLayer.Server.Tests.Telemetry.TelemetryFixture;
using N = PermissionLayer.Server.Features.Telemetry.TelemetryNames;

namespace PermissionLayer.Server.Tests.Telemetry;

/// <summary>
/// The metrics and spans of real decisions through a real server (issue 18 §2): measured from the
/// server's own meter, exported in memory, scraped from <c>/metrics</c> and posted over OTLP.
/// </summary>
public sealed class TelemetryTests(TelemetryFixture telemetry)
    : IClassFixture<TelemetryFixture>
{
    private readonly DecisionService.DecisionServiceClient _decisions = new(telemetry.Host.Channel);
    private ServerMeasurements Measured => telemetry.Measurements;

    private static CheckRequest Read(string patient) => Requests.ReadPatient(User, patient, clientId: ClientId);

    private double Decisions(string rpc, string outcome, string term, string interaction) =>
        Measured.Sum(N.Decisions, (N.Rpc, rpc), (N.Outcome, outcome), (N.DecidingTerm, term), (N.Interaction, interaction));

    private int Timed(string rpc, string outcome) =>
        Measured.Read().Count(m => m.Instrument == N.DecisionDuration && m.Labels[N.Rpc] == rpc && m.Labels[N.Outcome] == outcome);

    [Fact]
    public async Task Decisions_are_counted_by_rpc_outcome_deciding_term_and_interaction_and_timed()
    {
        var permits = Decisions(DecisionRpcs.Check, "permit", "none", "read");
        var userDenies = Decisions(DecisionRpcs.Check, "deny", "user", "read");
        var errors = Decisions(DecisionRpcs.Check, "error", "none", "unknown");
        var batchPermits = Decisions(DecisionRpcs.CheckBatch, "permit", "none", "read");
        var batchErrors = Decisions(DecisionRpcs.CheckBatch, "error", "none", "unknown");
        var timedPermits = Timed(DecisionRpcs.Check, "permit");

        Assert.Equal(Outcome.Permit, (await _decisions.CheckAsync(Read(GrantedPatient))).Outcome);
        Assert.Equal(Outcome.Deny, (await _decisions.CheckAsync(Read(OtherPatient))).Outcome);
        var invalid = Read(GrantedPatient);
        invalid.Stored = null;
        Assert.Equal(StatusCode.InvalidArgument, (await Assert.ThrowsAsync<RpcException>(async () => await _decisions.CheckAsync(invalid))).StatusCode);
        var batch = await _decisions.CheckBatchAsync(new CheckBatchRequest { Entries = { Read(GrantedPatient), invalid } });
        Assert.Equal(Outcome.Permit, batch.Results[0].Decision.Outcome);
        Assert.NotNull(batch.Results[1].Error);

        Assert.Equal(permits + 1, Decisions(DecisionRpcs.Check, "permit", "none", "read"));
        Assert.Equal(userDenies + 1, Decisions(DecisionRpcs.Check, "deny", "user", "read"));
        Assert.Equal(errors + 1, Decisions(DecisionRpcs.Check, "error", "none", "unknown"));
        Assert.Equal(batchPermits + 1, Decisions(DecisionRpcs.CheckBatch, "permit", "none", "read"));
        Assert.Equal(batchErrors + 1, Decisions(DecisionRpcs.CheckBatch, "error", "none", "unknown"));
        Assert.Equal(timedPermits + 1, Timed(DecisionRpcs.Check, "permit"));
        var latency = Measured.Read().Last(m => m.Instrument == N.DecisionDuration && m.Labels[N.Rpc] == DecisionRpcs.Check);
        Assert.InRange(latency.Value, 0, 60); // seconds, not ticks or milliseconds of a stalled run
        Assert.Equal([N.Outcome, N.Rpc], latency.Labels.Keys.Order()); // the histogram carries two labels only
    }

    [Fact]
    public async Task A_population_search_is_counted_as_stream_accessible_patients()
    {
        var before = Decisions(DecisionRpcs.StreamAccessiblePatients, "permit", "none", "search-type");
        using var call = _decisions.StreamAccessiblePatients(new AccessiblePatientsRequest
        {
            Token = new TokenContext { ClientId = ClientId, FhirUser = User, Scope = "user/Observation.rs" },
            ResourceType = "Observation",
        });
        var pages = new List<AccessiblePatientsPage>();
        await foreach (var page in call.ResponseStream.ReadAllAsync(TestContext.Current.CancellationToken))
        {
            pages.Add(page);
        }
        Assert.Contains(GrantedPatient, pages.SelectMany(p => p.PatientIds));
        Assert.Equal(before + 1, Decisions(DecisionRpcs.StreamAccessiblePatients, "permit", "none", "search-type"));
    }

    [Fact]
    public async Task A_check_span_continues_the_callers_trace_covers_grain_reads_and_audit_and_carries_the_decision_id()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var callerSpan = ActivitySpanId.CreateRandom();
        var answer = await _decisions.CheckAsync(Read(GrantedPatient), new Metadata { { "traceparent", $"00-{traceId}-{callerSpan}-01" } });

        var spans = await SpansOfAsync(traceId, expected: 4);
        var server = Assert.Single(spans, s => s.Source.Name == "Microsoft.AspNetCore");
        Assert.Equal(callerSpan, server.ParentSpanId); // linked to the caller's trace context
        var check = Assert.Single(spans, s => s.Source.Name == N.Source && s.OperationName == "decision.Check");
        Assert.Equal(server.SpanId, check.ParentSpanId);
        Assert.Equal(answer.DecisionId, check.GetTagItem(N.DecisionId));
        Assert.Equal("permit", check.GetTagItem(N.Outcome));
        Assert.Equal(answer.Revision, check.GetTagItem(N.Revision));
        foreach (var part in new[] { "decision.evaluate", "audit.record" })
        {
            var child = Assert.Single(spans, s => s.OperationName == part);
            Assert.Equal(check.SpanId, child.ParentSpanId);
            Assert.True(child.StartTimeUtc >= check.StartTimeUtc && child.StartTimeUtc + child.Duration <= check.StartTimeUtc + check.Duration,
                $"{part} lies outside the Check span");
        }
        Assert.Equal("durable", spans.Single(s => s.OperationName == "audit.record").GetTagItem(N.AuditMode));
    }

    [Fact]
    public async Task The_audit_writer_reports_batches_commits_queue_depth_and_oldest_unwritten_age()
    {
        var rows = Measured.Sum(N.AuditBatchSize);
        var commits = Measured.Read().Count(m => m.Instrument == N.AuditCommitDuration);

        await _decisions.CheckAsync(Read(GrantedPatient)); // durable: answered after its row committed

        Assert.Equal(rows + 1, Measured.Sum(N.AuditBatchSize));
        var measured = Measured.Read();
        Assert.Equal(commits + 1, measured.Count(m => m.Instrument == N.AuditCommitDuration));
        Assert.InRange(measured.Last(m => m.Instrument == N.AuditCommitDuration).Value, 0, 60);
        // Nothing waits once a durable decision is answered: an empty queue, and no unwritten row has an age.
        Assert.Equal(0, measured.Last(m => m.Instrument == N.AuditQueueDepth).Value);
        Assert.Equal(0, measured.Last(m => m.Instrument == N.AuditOldestUnwrittenAge).Value);
    }

    [Fact]
    public async Task Grain_activations_are_reported_by_kind_and_the_consent_registry_lag_in_revisions()
    {
        await _decisions.CheckAsync(Read(GrantedPatient));
        var activations = Measured.Read().Where(m => m.Instrument == N.GrainActivations).ToList();
        Assert.True(activations.Last(m => m.Labels[N.GrainKind] == "principal").Value >= 1);
        Assert.True(activations.Last(m => m.Labels[N.GrainKind] == "client").Value >= 1);

        // The registry catches up only before a population search: a committed change it has not
        // read is lag. The silo applies a change made through its own grain at once.
        await AwaitAsync(() => Measured.Read().Any(m => m.Instrument == N.ConsentRegistryLag), "the consent registry to load");
        var lag = Measured.Read().Last(m => m.Instrument == N.ConsentRegistryLag).Value;
        await new AdminService.AdminServiceClient(telemetry.Host.Channel).CreateGrantAsync(Requests.Grant("Practitioner/tel-lag", "Patient/tel-lag-p"));
        Assert.True(Measured.Read().Last(m => m.Instrument == N.ConsentRegistryLag).Value >= lag + 1);
    }

    [Fact]
    public async Task Api_key_authentication_failures_are_counted_by_reason()
    {
        double Failures(string reason) => Measured.Sum(N.AuthenticationFailures, (N.FailureReason, reason));
        var (missing, unknown, malformed) = (Failures("missing"), Failures("unknown-key"), Failures("malformed"));

        using var noKey = telemetry.Host.ChannelWith(null);
        using var unknownKey = telemetry.Host.ChannelWith("plk_notakeyid_notasecret");
        foreach (var channel in new[] { noKey, unknownKey })
        {
            var error = await Assert.ThrowsAsync<RpcException>(async () => await new DecisionService.DecisionServiceClient(channel).CheckAsync(Read(GrantedPatient)));
            Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        }
        using var http = new HttpClient { BaseAddress = telemetry.Host.Http.BaseAddress };
        using var basic = new HttpRequestMessage(HttpMethod.Get, "/v1/grants?principal=Practitioner/x") { Headers = { { "authorization", "Basic eDp5" } } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(basic, TestContext.Current.CancellationToken)).StatusCode);

        Assert.Equal(missing + 1, Failures("missing"));
        Assert.Equal(unknown + 1, Failures("unknown-key"));
        Assert.Equal(malformed + 1, Failures("malformed"));
    }

    [Fact]
    public async Task The_prometheus_scrape_endpoint_serves_the_decision_counter_on_the_http_port()
    {
        await _decisions.CheckAsync(Read(GrantedPatient));
        using var scraper = new HttpClient(); // no key: a scraper carries none
        // The exporter answers a scrape from a short-lived cache: another test's scrape just before may
        // be served again, without this decision. Scrape until the counter shows (a bound, not a timing).
        var text = "";
        var counter = new List<string>();
        for (var attempt = 0; attempt < 40 && counter.Count == 0; attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(250, TestContext.Current.CancellationToken);
            }
            text = await scraper.GetStringAsync($"http://127.0.0.1:{telemetry.Host.HttpPort}/metrics", TestContext.Current.CancellationToken);
            counter = text.Split('\n').Where(l => l.StartsWith("permissionlayer_decisions_total{", StringComparison.Ordinal)).ToList();
        }
        Assert.Contains(counter, l => l.Contains("permissionlayer_rpc=\"Check\"") && l.Contains("permissionlayer_outcome=\"permit\"")
            && l.Contains("permissionlayer_deciding_term=\"none\"") && l.Contains("permissionlayer_interaction=\"read\""));
        Assert.Contains("permissionlayer_decision_duration_seconds_bucket{", text);
        Assert.Contains("permissionlayer_audit_commit_duration_seconds_bucket{", text);
    }

    [Fact]
    public async Task Metrics_and_traces_are_posted_over_otlp_as_the_otel_variables_say()
    {
        await _decisions.CheckAsync(Read(GrantedPatient));
        var scope = Encoding.UTF8.GetBytes(N.Source);
        await AwaitAsync(() => telemetry.Collector.Received.Any(r => r.Path == "/v1/metrics" && Contains(r.Body, Encoding.UTF8.GetBytes(N.Decisions))),
            "the decision counter posted to /v1/metrics");
        await AwaitAsync(() => telemetry.Collector.Received.Any(r => r.Path == "/v1/traces" && Contains(r.Body, Encoding.UTF8.GetBytes("decision.Check"))),
            "a Check span posted to /v1/traces");
        Assert.Contains(telemetry.Collector.Received, r => r.Path == "/v1/traces" && Contains(r.Body, scope));
    }

    [Fact]
    public async Task No_metric_label_nor_span_attribute_names_a_patient_principal_client_or_key()
    {
        var ct = TestContext.Current.CancellationToken;
        await _decisions.CheckAsync(Read(GrantedPatient));
        await _decisions.CheckAsync(Read(OtherPatient));
        using (var call = _decisions.StreamAccessiblePatients(new AccessiblePatientsRequest
        {
            Token = new TokenContext { ClientId = ClientId, FhirUser = User, Scope = "user/Observation.rs", LaunchPatient = GrantedPatient },
        }))
        {
            await foreach (var _ in call.ResponseStream.ReadAllAsync(ct))
            {
            }
        }
        // JSON paths and queries that name a patient and a principal.
        (await telemetry.Host.Http.GetAsync($"/v1/audit/patients/{GrantedPatient}/access", ct)).EnsureSuccessStatusCode();
        (await telemetry.Host.Http.GetAsync($"/v1/grants?principal={User}", ct)).EnsureSuccessStatusCode();
        using var unknownKey = telemetry.Host.ChannelWith("plk_tellabelkey_tellabelsecret");
        await Assert.ThrowsAsync<RpcException>(async () => await new DecisionService.DecisionServiceClient(unknownKey).CheckAsync(Read(GrantedPatient)));
        string[] identifiers = [GrantedPatient, OtherPatient, User, "tel-user", ClientId, telemetry.Host.SuperKey, "tellabelkey", "tellabelsecret"];

        // Wait for one OTLP metrics export after all of that, then look everywhere a label goes.
        var posted = telemetry.Collector.Received.Count(r => r.Path == "/v1/metrics");
        await AwaitAsync(() => telemetry.Collector.Received.Count(r => r.Path == "/v1/metrics") > posted + 1, "a metrics export after the calls");
        using var scraper = new HttpClient();
        var scrape = await scraper.GetStringAsync($"http://127.0.0.1:{telemetry.Host.HttpPort}/metrics", ct);
        var labels = Measured.Read().SelectMany(m => m.Labels.Values).Distinct().ToList();
        Assert.NotEmpty(labels);
        var attributes = telemetry.Spans.Snapshot().SelectMany(s => s.TagObjects.Select(t => $"{t.Key}={t.Value}").Append(s.DisplayName)).ToList();
        Assert.Contains(attributes, a => a.StartsWith("url.path=/v1/audit/patients/", StringComparison.Ordinal)); // those calls were traced
        foreach (var identifier in identifiers)
        {
            Assert.DoesNotContain(labels, l => l is not null && l.Contains(identifier, StringComparison.Ordinal));
            Assert.DoesNotContain(identifier, scrape, StringComparison.Ordinal);
            Assert.DoesNotContain(telemetry.Collector.Received, r => Contains(r.Body, Encoding.UTF8.GetBytes(identifier)));
            Assert.DoesNotContain(attributes, a => a.Contains(identifier, StringComparison.Ordinal));
        }
    }

    private async Task<List<Activity>> SpansOfAsync(ActivityTraceId traceId, int expected)
    {
        List<Activity> spans = [];
        await AwaitAsync(() => (spans = [.. telemetry.Spans.Snapshot().Where(s => s.TraceId == traceId)]).Count >= expected, $"{expected} spans of the trace");
        return spans;
    }

    private static async Task AwaitAsync(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), $"timed out waiting for {what}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
