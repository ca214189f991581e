using System.Net;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Hosting;

/// <summary>
/// Issue 14 items 3 and 4: NUL and control characters, over-long strings and lists, bad purposes and
/// out-of-range times anywhere a request carries them are INVALID_ARGUMENT naming the field — over
/// gRPC and over the JSON port (400, never 500) — checked before any work, so nothing is stored.
/// </summary>
public sealed class HostileInputTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static readonly string Long = new('r', 100_000);
    private static readonly string Huge = new('x', 3000);

    private AdminService.AdminServiceClient Admin => new(server.Host.Channel);
    private DecisionService.DecisionServiceClient Decisions => new(server.Host.Channel);
    private AuditService.AuditServiceClient Audit => new(server.Host.Channel);

    private static CreateGrantRequest Grant(Action<Grant> change)
    {
        var request = Requests.Grant("Practitioner/hostile", "Patient/h-1");
        change(request.Grant);
        return request;
    }

    private static CheckRequest Check(Action<CheckRequest> change)
    {
        var request = Requests.ReadPatient("Practitioner/hostile", "h-1");
        change(request);
        return request;
    }

    /// <summary>Each case: a name, the call, and the field its error must name.</summary>
    public static TheoryData<string, string> Cases() => new(Calls.Keys.Select(k => (k, Calls[k].Field)));

    private static readonly Dictionary<string, (string Field, Func<HostileInputTests, Task> Call)> Calls = new()
    {
        ["grant reason NUL"] = ("grant.reason", t => t.Admin.CreateGrantAsync(Grant(g => g.Reason = "covering\0")).ResponseAsync),
        ["grant reason 100 KB"] = ("grant.reason", t => t.Admin.CreateGrantAsync(Grant(g => g.Reason = Long)).ResponseAsync),
        ["grant purpose NUL"] = ("grant.purposes[0]", t => t.Admin.CreateGrantAsync(Grant(g => g.Purposes.Add("TREAT\0"))).ResponseAsync),
        ["grant purpose off grammar"] = ("grant.purposes[0]", t => t.Admin.CreateGrantAsync(Grant(g => g.Purposes.Add("not a purpose!"))).ResponseAsync),
        ["grant 10,000 purposes"] = ("grant.purposes", t => t.Admin.CreateGrantAsync(Grant(g => g.Purposes.AddRange(Enumerable.Range(0, 10_000).Select(i => $"P{i}")))).ResponseAsync),
        ["grant valid_until far future"] = ("grant.valid_until", t => t.Admin.CreateGrantAsync(Grant(g => g.ValidUntil = new Timestamp { Seconds = 999_999_999_999 })).ResponseAsync),
        ["grant valid_from far past"] = ("grant.valid_from", t => t.Admin.CreateGrantAsync(Grant(g => g.ValidFrom = new Timestamp { Seconds = -999_999_999_999 })).ResponseAsync),
        ["grant valid_until nanos -1"] = ("grant.valid_until", t => t.Admin.CreateGrantAsync(Grant(g => g.ValidUntil = new Timestamp { Seconds = 1, Nanos = -1 })).ResponseAsync),
        ["grant valid_until nanos 2e9"] = ("grant.valid_until", t => t.Admin.CreateGrantAsync(Grant(g => g.ValidUntil = new Timestamp { Seconds = 1, Nanos = 2_000_000_000 })).ResponseAsync),
        ["client name 100 KB"] = ("name", t => t.Admin.PutClientRegistrationAsync(new PutClientRegistrationRequest { ClientId = "hostile-app", Name = Long, Status = "active", Reason = "r" }).ResponseAsync),
        ["client name NUL"] = ("name", t => t.Admin.PutClientRegistrationAsync(new PutClientRegistrationRequest { ClientId = "hostile-app", Name = "a\0b", Status = "active", Reason = "r" }).ResponseAsync),
        ["group change reason NUL"] = ("reason", t => t.Admin.ChangeGroupMembersAsync(new ChangeGroupMembersRequest { GroupId = "hg", Upsert = { new GroupMember { PatientId = "h-1" } }, Reason = "ward\0round" }).ResponseAsync),
        ["group member period nanos"] = ("upsert[0].period_end", t => t.Admin.ChangeGroupMembersAsync(new ChangeGroupMembersRequest { GroupId = "hg", Upsert = { new GroupMember { PatientId = "h-1", PeriodEnd = new Timestamp { Nanos = -1 } } }, Reason = "r" }).ResponseAsync),
        ["care team period far future"] = ("period_start", t => t.Admin.PutCareTeamAsync(new PutCareTeamRequest { CareTeamId = "hct", SubjectPatientId = "h-1", Status = "active", Reason = "r", PeriodStart = new Timestamp { Seconds = 999_999_999_999 } }).ResponseAsync),
        ["apply changes nested NUL"] = ("changes[0].grant.reason", t => t.Admin.ApplyChangesAsync(new ApplyChangesRequest { Changes = { new BatchChange { CreateGrant = Grant(g => g.Reason = "\0") } } }).ResponseAsync),
        ["who can see at nanos"] = ("at", t => t.Admin.WhoCanSeeAsync(new WhoCanSeeRequest { PatientId = "h-1", At = new Timestamp { Nanos = 2_000_000_000 } }).ResponseAsync),
        ["import reason NUL"] = ("reason", t => Drain(t.Admin.Import(new ImportRequest { Format = "json", Content = "{}", Reason = "nightly\0" }))),
        ["watch subject NUL"] = ("subject", t => Drain(t.Admin.Watch(new WatchRequest { Subject = "Group/g\0" }))),
        ["audit patient NUL"] = ("patient", t => Drain(t.Audit.QueryDecisions(new DecisionQuery { Patient = "p\0" }))),
        ["audit from far past"] = ("from", t => Drain(t.Audit.QueryDecisions(new DecisionQuery { From = new Timestamp { Seconds = -999_999_999_999 } }))),
        ["audit client NUL"] = ("client_id", t => Drain(t.Audit.ExportAuditEvents(new DecisionQuery { ClientId = "c\0" }))),
        ["access report to nanos"] = ("to", t => Drain(t.Audit.PatientAccessReport(new PatientAccessReportRequest { Patient = "h-1", To = new Timestamp { Nanos = -1 } }))),
        ["admin changes actor NUL"] = ("actor", t => Drain(t.Audit.QueryAdminChanges(new AdminChangeQuery { Actor = "a\0" }))),
        ["check client_id 3,000"] = ("token.client_id", t => t.Decisions.CheckAsync(Check(c => c.Token.ClientId = Huge)).ResponseAsync),
        ["check client_id NUL"] = ("token.client_id", t => t.Decisions.CheckAsync(Check(c => c.Token.ClientId = "app\0")).ResponseAsync),
        ["check jti NUL"] = ("token.jti", t => t.Decisions.CheckAsync(Check(c => c.Token.Jti = "j\0")).ResponseAsync),
        ["check jti 3,000"] = ("token.jti", t => t.Decisions.CheckAsync(Check(c => c.Token.Jti = Huge)).ResponseAsync),
        ["check launch_patient NUL"] = ("token.launch_patient", t => t.Decisions.CheckAsync(Check(c => c.Token.LaunchPatient = "h-1\0")).ResponseAsync),
        ["check purpose off grammar"] = ("token.purpose_of_use", t => t.Decisions.CheckAsync(Check(c => c.Token.PurposeOfUse = "TREAT; DROP")).ResponseAsync),
        ["check break_glass_reason 100 KB"] = ("token.break_glass_reason", t => t.Decisions.CheckAsync(Check(c => c.Token.BreakGlassReason = Long)).ResponseAsync),
        ["check resource_id NUL"] = ("resource_id", t => t.Decisions.CheckAsync(Check(c => c.ResourceId = "h-1\0")).ResponseAsync),
        ["check resource_id 3,000"] = ("resource_id", t => t.Decisions.CheckAsync(Check(c => c.ResourceId = Huge)).ResponseAsync),
        ["check query NUL"] = ("query", t => t.Decisions.CheckAsync(new CheckRequest { Token = new TokenContext { ClientId = "a", Scope = "user/Observation.rs" }, Interaction = Interaction.SearchType, ResourceType = "Observation", Query = "code=1\0" }).ResponseAsync),
        ["check facts code NUL"] = ("stored.facts.code[0]", t => t.Decisions.CheckAsync(Check(c => c.Stored.Facts.Code.Add("http://loinc.org|1\0"))).ResponseAsync),
        ["check facts 10,001 patients"] = ("stored.facts.patients", t => t.Decisions.CheckAsync(Check(c => c.Stored.Facts.Patients.AddRange(Enumerable.Range(0, 10_001).Select(i => $"p{i}")))).ResponseAsync),
        ["check recorded_at far future"] = ("stored.facts.recorded_at", t => t.Decisions.CheckAsync(Check(c => c.Stored.Facts.RecordedAt = new Timestamp { Seconds = 999_999_999_999 })).ResponseAsync),
        ["check fhir_json NUL"] = ("stored.fhir_json", t => t.Decisions.CheckAsync(Check(c => c.Stored = new ResourceState { FhirJson = "{\"resourceType\":\"Patient\",\"id\":\"h-1\0\"}" })).ResponseAsync),
        ["stream client_id NUL"] = ("token.client_id", t => Drain(t.Decisions.StreamAccessiblePatients(new AccessiblePatientsRequest { Token = new TokenContext { ClientId = "a\0", FhirUser = "Practitioner/x", Scope = "user/*.rs" } }))),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Hostile_input_is_invalid_argument_naming_the_field(string name, string field)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Calls[name].Call(this));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith(field + ":", error.Status.Detail);
        Assert.True(error.Status.Detail.Length <= 1024, "a bounded message");
    }

    [Fact]
    public async Task A_bad_checkbatch_entry_gets_its_own_error_naming_its_field()
    {
        var batch = new CheckBatchRequest { Entries = { Check(_ => { }), Check(c => c.Token.Jti = "j\0") } };
        var results = (await Decisions.CheckBatchAsync(batch)).Results;
        Assert.Equal(CheckBatchResult.ResultOneofCase.Decision, results[0].ResultCase);
        Assert.Equal(nameof(StatusCode.InvalidArgument), results[1].Error.Code);
        Assert.StartsWith("entries[1]: token.jti:", results[1].Error.Message);
    }

    /// <summary>The same over the JSON port: 400 with the field named, never a 500.</summary>
    [Theory]
    [InlineData("/v1/grants", """{"grant":{"principal":"Practitioner/hostile","target":"Patient/h-1","actions":"rs","reason":"cover\u0000ing"}}""", "grant.reason")]
    [InlineData("/v1/grants", """{"grant":{"principal":"Practitioner/hostile","target":"Patient/h-1","actions":"rs","reason":"r","purposes":["TREAT\u0000"]}}""", "grant.purposes[0]")]
    [InlineData("/v1/decisions:check", """{"token":{"clientId":"app\u0000","scope":"user/Patient.rs"},"interaction":"INTERACTION_READ","resourceType":"Patient","resourceId":"h-1","stored":{"facts":{"patients":["h-1"],"complete":true}}}""", "token.client_id")]
    [InlineData("/v1/changes:apply", """{"changes":[{"createGrant":{"grant":{"principal":"Practitioner/hostile","target":"Patient/h-1","actions":"rs","reason":"\u0000"}}}]}""", "changes[0].grant.reason")]
    public async Task Hostile_json_is_400_naming_the_field(string path, string body, string field)
    {
        using var response = await server.Host.Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, text);
    }

    [Theory]
    [InlineData("""{"grant":{"principal":"Practitioner/hostile","target":"Patient/h-1","actions":"rs","reason":"r","validUntil":"99999-01-01T00:00:00Z"}}""")]
    [InlineData("""{"grant":{"principal":"Practitioner/hostile","target":"Patient/h-1","actions":"rs","reason":"r","validUntil":"2026-01-01T00:00:00.9999999999Z"}}""")]
    public async Task Out_of_range_json_times_are_400(string body)
    {
        using var response = await server.Host.Http.PostAsync("/v1/grants", new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    /// <summary>Issue 14 item 5: one documented size per RPC, answered RESOURCE_EXHAUSTED (never UNKNOWN), by gRPC or by the interceptor.</summary>
    [Fact]
    public async Task Requests_over_their_rpc_size_are_resource_exhausted()
    {
        var megabyte = new string('r', 1024 * 1024 + 1);
        var grant = await Assert.ThrowsAsync<RpcException>(() => Admin.CreateGrantAsync(Grant(g => g.Reason = megabyte)).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, grant.StatusCode);
        var fiveMegabytes = "{\"resourceType\":\"Patient\",\"id\":\"h-1\",\"text\":{\"div\":\"" + new string('x', 5 * 1024 * 1024) + "\"}}";
        var check = await Assert.ThrowsAsync<RpcException>(() => Decisions.CheckAsync(Check(c => c.Stored = new ResourceState { FhirJson = fiveMegabytes })).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, check.StatusCode);
        Assert.Contains("Check accepts at most", check.Status.Detail);
        var batch = new CheckBatchRequest();
        for (var i = 0; i < 4; i++)
        {
            batch.Entries.Add(Check(c => c.Stored = new ResourceState { FhirJson = fiveMegabytes }));
        }
        var tooBig = await Assert.ThrowsAsync<RpcException>(() => Decisions.CheckBatchAsync(batch).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, tooBig.StatusCode);
        // The connection is still usable.
        await Decisions.CheckAsync(Check(_ => { }));
    }

    private static async Task Drain<T>(AsyncServerStreamingCall<T> call)
    {
        using (call)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            while (await call.ResponseStream.MoveNext(deadline.Token))
            {
            }
        }
    }
}
