using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Admin;

/// <summary>
/// FHIR import through the admin API over real gRPC (and JSON), silo and PostgreSQL: decisions see
/// imported facts, re-import changes nothing, a new version replaces membership, bad or unsupported
/// input applies nothing, and a 100,000-member Group goes through in one call.
/// </summary>
public sealed class ImportTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly AdminService.AdminServiceClient _admin = new(server.Host.Channel);
    private readonly DecisionService.DecisionServiceClient _decisions = new(server.Host.Channel);

    private static string Group(string id, string version, params string[] patients) => JsonSerializer.Serialize(new
    {
        resourceType = "Group", id, meta = new { versionId = version }, active = true, type = "person", actual = true,
        name = $"{id} patients", member = patients.Select(p => new { entity = new { reference = $"Patient/{p}" } }),
    });

    private static string CareTeam(string id, string subject, params string[] practitioners) => JsonSerializer.Serialize(new
    {
        resourceType = "CareTeam", id, status = "active", subject = new { reference = $"Patient/{subject}" },
        participant = practitioners.Select(p => new { role = new[] { new { text = "nurse" } }, member = new { reference = $"Practitioner/{p}" } }),
    });

    private static string PanelList(string id, string owner, string status, string mode, params string[] patients) => JsonSerializer.Serialize(new
    {
        resourceType = "List", id, status, mode, title = $"{owner}'s patients", source = new { reference = $"Practitioner/{owner}" },
        entry = patients.Select(p => new { item = new { reference = $"Patient/{p}" } }),
    });

    private static string Bundle(params string[] resources) =>
        $$"""{"resourceType":"Bundle","type":"collection","entry":[{{string.Join(',', resources.Select(r => $$"""{"resource":{{r}}}"""))}}]}""";

    private async Task<List<ImportProgress>> Import(string content, string format = "json")
    {
        using var call = _admin.Import(new ImportRequest { Format = format, Content = content, Reason = "nightly sync from the EHR" });
        var progress = new List<ImportProgress>();
        while (await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken))
        {
            progress.Add(call.ResponseStream.Current);
        }
        return progress;
    }

    private async Task<Outcome> Read(string user, string patient) =>
        (await _decisions.CheckAsync(Requests.ReadPatient(user, patient))).Outcome;

    [Fact]
    public async Task Imported_group_is_seen_by_decisions_reimport_changes_nothing_and_a_new_version_replaces_members()
    {
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/imp-lead", "Group/imp-ward"));

        var first = await Import(Group("imp-ward", "1", "imp-a", "imp-b"));
        Assert.Equal(["read", "applying", "done"], first.Select(p => p.Stage));
        var created = Assert.Single(first[^1].Resources);
        Assert.Equal(("Group/imp-ward", "created", 2), (created.Reference, created.Outcome, created.Count));
        Assert.Equal(Outcome.Permit, await Read("Practitioner/imp-lead", "imp-b"));

        var again = await Import(Group("imp-ward", "1", "imp-a", "imp-b"));
        Assert.Equal(("unchanged", 0L), (again[^1].Resources[0].Outcome, again[^1].Revision));

        var next = await Import(Group("imp-ward", "2", "imp-a", "imp-c"));
        Assert.Equal("replaced", next[^1].Resources[0].Outcome);
        Assert.True(next[^1].Revision > first[^1].Revision);
        Assert.Equal(Outcome.Deny, await Read("Practitioner/imp-lead", "imp-b"));
        Assert.Equal(Outcome.Permit, await Read("Practitioner/imp-lead", "imp-c"));
    }

    [Fact]
    public async Task Imported_care_team_entitles_its_participants_to_the_subject()
    {
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        var done = (await Import(CareTeam("imp-team", "imp-subject", "imp-nurse"), "ndjson"))[^1];
        Assert.Equal(("CareTeam/imp-team", "created"), (done.Resources[0].Reference, done.Resources[0].Outcome));
        Assert.Equal(Outcome.Permit, await Read("Practitioner/imp-nurse", "imp-subject"));

        await Import(CareTeam("imp-team", "imp-subject", "imp-other-nurse"));
        Assert.Equal(Outcome.Deny, await Read("Practitioner/imp-nurse", "imp-subject"));
    }

    [Theory]
    [InlineData("""{"resourceType":"Group","id":"imp-bad","active":true,"type":"person","actual":true,"member":[{"entity":{"reference":"Patient/imp-x"}},{"entity":{"reference":"Practitioner/nope"}}]}""", "Group.member[1].entity")]
    [InlineData("""{"resourceType":"Group","id":"imp-bad","active":true,"type":"person","actual":true,"member":[{"entity":{"reference":"Patient/imp-x"}}]""", "invalid JSON")]
    [InlineData("""{"resourceType":"Patient","id":"imp-pat","active":true}""", "Patient")]
    public async Task Bad_or_unsupported_input_fails_naming_it_and_applies_nothing(string bad, string named)
    {
        var content = Bundle(Group("imp-atomic", "1", "imp-x"), bad);
        var error = await Assert.ThrowsAsync<RpcException>(() => Import(content));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.True(error.Status.Detail.Contains(named, StringComparison.OrdinalIgnoreCase), error.Status.Detail);

        var paths = (await _admin.WhoCanSeeAsync(new WhoCanSeeRequest { PatientId = "imp-x" })).Paths;
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/imp-atomic-lead", "Group/imp-atomic"));
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        Assert.Equal(Outcome.Deny, await Read("Practitioner/imp-atomic-lead", "imp-x"));
        Assert.DoesNotContain(paths, p => p.Via == "Group/imp-atomic");
    }

    [Fact]
    public async Task Import_requires_a_reason_and_a_known_format()
    {
        var noReason = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = _admin.Import(new ImportRequest { Format = "json", Content = Group("imp-r", "1", "x") });
            await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken);
        });
        Assert.Contains("reason", noReason.Status.Detail);
        var badFormat = await Assert.ThrowsAsync<RpcException>(() => Import(Group("imp-r", "1", "x"), "xml"));
        Assert.Contains("format", badFormat.Status.Detail);
    }

    [Fact]
    public async Task Import_works_over_json_transcoding()
    {
        var response = await server.Host.Http.PostAsJsonAsync("/v1/imports",
            new { format = "json", content = Group("imp-json", "1", "imp-j"), reason = "curl import" }, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, body);
        Assert.Contains("\"done\"", body);
        Assert.Contains("Group/imp-json", body);
    }

    [Fact]
    public async Task A_100000_member_group_imports_in_one_call_and_every_member_counts()
    {
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/imp-big-lead", "Group/imp-big"));
        var members = Enumerable.Range(0, 100_000).Select(n => $"big-{n}").ToArray();

        var done = (await Import(Group("imp-big", "1", members)))[^1];

        Assert.Equal(("done", 100_000), (done.Stage, done.Resources[0].Count));
        Assert.Equal(Outcome.Permit, await Read("Practitioner/imp-big-lead", "big-99999"));
        Assert.Equal(Outcome.Permit, await Read("Practitioner/imp-big-lead", "big-0"));
        Assert.Equal(Outcome.Deny, await Read("Practitioner/imp-big-lead", "big-100000"));
    }

    [Fact]
    public async Task Imported_list_is_a_panel_that_a_new_version_replaces_and_retiring_it_revokes()
    {
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/imp-gp", "Patient/imp-by-hand"));

        var first = (await Import(PanelList("imp-panel", "imp-gp", "current", "working", "imp-p1", "imp-p2")))[^1];
        Assert.Equal(("List/imp-panel", "created", 2), (first.Resources[0].Reference, first.Resources[0].Outcome, first.Resources[0].Count));
        Assert.Equal(Outcome.Permit, await Read("Practitioner/imp-gp", "imp-p2"));
        Assert.Equal(("unchanged", 0L), ((await Import(PanelList("imp-panel", "imp-gp", "current", "working", "imp-p2", "imp-p1")))[^1].Resources[0].Outcome, 0L));

        await Import(PanelList("imp-panel", "imp-gp", "current", "working", "imp-p1", "imp-p3"));
        Assert.Equal(Outcome.Deny, await Read("Practitioner/imp-gp", "imp-p2"));
        Assert.Equal(Outcome.Permit, await Read("Practitioner/imp-gp", "imp-p3"));

        // A "changes" list only adds.
        await Import(PanelList("imp-panel", "imp-gp", "current", "changes", "imp-p4"));
        Assert.Equal(Outcome.Permit, await Read("Practitioner/imp-gp", "imp-p1"));
        Assert.Equal(Outcome.Permit, await Read("Practitioner/imp-gp", "imp-p4"));

        var retired = (await Import(PanelList("imp-panel", "imp-gp", "retired", "working", "imp-p1")))[^1];
        Assert.Equal(0, retired.Resources[0].Count);
        Assert.Equal(Outcome.Deny, await Read("Practitioner/imp-gp", "imp-p1"));
        // Grants made by hand are not the List's to revoke.
        Assert.Equal(Outcome.Permit, await Read("Practitioner/imp-gp", "imp-by-hand"));
    }

    [Fact]
    public async Task A_new_version_of_a_panel_list_naming_another_practitioner_moves_the_panel_to_them()
    {
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        var first = (await Import(PanelList("imp-moving", "imp-mv-first", "current", "working", "imp-mv-1", "imp-mv-2")))[^1];
        Assert.Equal(Outcome.Permit, await Read("Practitioner/imp-mv-first", "imp-mv-1"));
        Assert.Equal(Outcome.Deny, await Read("Practitioner/imp-mv-second", "imp-mv-1")); // both principals are active

        // The List is the same resource (its id), now kept by another practitioner.
        var moved = (await Import(PanelList("imp-moving", "imp-mv-second", "current", "working", "imp-mv-1", "imp-mv-2")))[^1];
        Assert.Equal(("List/imp-moving", "replaced", 2), (moved.Resources[0].Reference, moved.Resources[0].Outcome, moved.Resources[0].Count));
        Assert.Equal(Outcome.Deny, await Read("Practitioner/imp-mv-first", "imp-mv-1"));
        Assert.Equal(Outcome.Deny, await Read("Practitioner/imp-mv-first", "imp-mv-2"));
        Assert.Equal(Outcome.Permit, await Read("Practitioner/imp-mv-second", "imp-mv-1"));
        Assert.Equal(Outcome.Permit, await Read("Practitioner/imp-mv-second", "imp-mv-2"));

        // The former owner's grants were revoked in the same import, and the change log says so.
        var former = await _admin.DescribePrincipalAsync(new DescribePrincipalRequest { Principal = "Practitioner/imp-mv-first" });
        Assert.All(former.Grants, g => Assert.NotNull(g.RevokedAt));
        Assert.Equal(2, former.Grants.Count);
        var change = await NextChangeOf("Practitioner/imp-mv-first", after: first.Revision);
        Assert.Equal("panel.imported", change.Kind);
        Assert.Contains("Practitioner/imp-mv-second", change.AfterJson);
        Assert.InRange(change.Revision, first.Revision + 1, moved.Revision);

        // Moving it back works the same way; re-importing it then changes nothing.
        await Import(PanelList("imp-moving", "imp-mv-first", "current", "working", "imp-mv-2"));
        Assert.Equal(Outcome.Permit, await Read("Practitioner/imp-mv-first", "imp-mv-2"));
        Assert.Equal(Outcome.Deny, await Read("Practitioner/imp-mv-first", "imp-mv-1"));
        Assert.Equal(Outcome.Deny, await Read("Practitioner/imp-mv-second", "imp-mv-2"));
        var again = (await Import(PanelList("imp-moving", "imp-mv-first", "current", "working", "imp-mv-2")))[^1];
        Assert.Equal(("unchanged", 0L), (again.Resources[0].Outcome, again.Revision));
    }

    /// <summary>The first change recorded against the subject after a revision (the change log, as Watch streams it).</summary>
    private async Task<EntitlementChange> NextChangeOf(string subject, long after)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        using var call = _admin.Watch(new WatchRequest { AfterRevision = after, Subject = subject }, cancellationToken: deadline.Token);
        Assert.True(await call.ResponseStream.MoveNext(deadline.Token));
        return call.ResponseStream.Current;
    }

    [Fact]
    public async Task Consents_import_with_the_other_resources_and_apply_from_the_next_decision()
    {
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/imp-researcher", "Patient/impc-2"));
        var consent = Consents.ConsentRequests.Fixture("consent-example-research", "impc", "imp-research");

        var done = (await Import(Bundle(Group("imp-c-ward", "1", "impc-2"), consent)))[^1];
        Assert.Equal(["created", "created"], done.Resources.Select(r => r.Outcome));
        var research = await _decisions.CheckAsync(Consents.ConsentRequests.ReadObservation("Practitioner/imp-researcher", "impc-2", purpose: "HRESCH"));
        Assert.Equal(Outcome.Deny, research.Outcome);
        Assert.Equal("consent.deny", Assert.Single(research.Reasons, r => r.Outcome == Outcome.Deny).Code);

        var again = (await Import(Bundle(Group("imp-c-ward", "1", "impc-2"), consent)))[^1];
        Assert.Equal(["unchanged", "unchanged"], again.Resources.Select(r => r.Outcome));
        Assert.Equal(0L, again.Revision);
    }

    [Fact]
    public async Task An_unsupported_consent_element_fails_the_whole_import_naming_it()
    {
        var consent = Consents.ConsentRequests.Fixture("consent-example-research", "impu", "imp-unsupported")
            .Replace("\"id\": \"imp-unsupported\",", "\"id\": \"imp-unsupported\", \"contained\": [{\"resourceType\": \"Organization\", \"id\": \"o1\"}],");
        Assert.Contains("contained", consent);

        var error = await Assert.ThrowsAsync<RpcException>(() => Import(Bundle(Group("imp-u-ward", "1", "impu-2"), consent)));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.True(error.Status.Detail.Contains("contained", StringComparison.Ordinal), error.Status.Detail);
        Assert.DoesNotContain((await _admin.WhoCanSeeAsync(new WhoCanSeeRequest { PatientId = "impu-2" })).Paths, p => p.Via == "Group/imp-u-ward");
    }

    [Fact]
    public async Task An_imported_practitioner_role_makes_the_service_know_the_organization_a_consent_names()
    {
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/impr-doc", "Patient/impr-1"));
        await _admin.PutConsentAsync(Consents.ConsentRequests.Put("impr-notorg", Consents.ConsentRequests.Fixture("consent-example-notOrg", "impr", "impr-notorg")));
        // The FHIR server sends no affiliations: before the role is known, the opt-out cannot match.
        Assert.Equal(Outcome.Permit, (await _decisions.CheckAsync(Consents.ConsentRequests.ReadObservation("Practitioner/impr-doc", "impr-1"))).Outcome);

        var role = JsonSerializer.Serialize(new
        {
            resourceType = "PractitionerRole", id = "impr-role", active = true,
            practitioner = new { reference = "Practitioner/impr-doc" }, organization = new { reference = "Organization/f001" },
        });
        var done = (await Import(role))[^1];
        Assert.Equal(("PractitionerRole/impr-role", "created"), (done.Resources[0].Reference, done.Resources[0].Outcome));

        var denied = await _decisions.CheckAsync(Consents.ConsentRequests.ReadObservation("Practitioner/impr-doc", "impr-1"));
        Assert.Equal(Outcome.Deny, denied.Outcome);
        Assert.Equal(Term.Consent, Assert.Single(denied.Reasons, r => r.Outcome == Outcome.Deny).Term);

        var moved = role.Replace("Practitioner/impr-doc", "Practitioner/impr-other");
        Assert.Equal(StatusCode.FailedPrecondition, (await Assert.ThrowsAsync<RpcException>(() => Import(moved))).StatusCode);
    }
}
