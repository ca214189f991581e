using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Server;
using static PermissionLayer.Server.Tests.Consents.ConsentRequests;

namespace PermissionLayer.Server.Tests.Consents;

/// <summary>
/// Consent, labels, purpose of use and break-the-glass over the real stack: PutConsent through the
/// patient's grain into PostgreSQL, and Check answering from it on the next decision.
/// </summary>
public sealed class ConsentDecisionTests(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private readonly AdminService.AdminServiceClient _admin = new(server.Host.Channel);
    private readonly DecisionService.DecisionServiceClient _decisions = new(server.Host.Channel);

    public async ValueTask InitializeAsync() => await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Patient_who_opts_out_of_one_organization_is_hidden_from_it_only_until_withdrawn()
    {
        var json = Fixture("consent-example-notOrg", "org", "notorg-1");
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/org-doc", "Patient/org-1"));
        var put = await _admin.PutConsentAsync(Put("notorg-1", json));
        Assert.Equal("org-1", put.PatientId);

        var denied = await _decisions.CheckAsync(ReadObservation("Practitioner/org-doc", "org-1", affiliations: ["Organization/f001"]));
        Assert.Equal(Outcome.Deny, denied.Outcome);
        var reason = await AuditedDeny(server.Host, denied, "org-1");
        Assert.Equal(Term.Consent, reason.Term);
        Assert.Equal("Consent/notorg-1#provision", reason.Source);
        Assert.Contains("Organization/f001", reason.Message);
        Assert.True(denied.Revision >= put.Revision);

        var other = await _decisions.CheckAsync(ReadObservation("Practitioner/org-doc", "org-1", affiliations: ["Organization/f002"]));
        Assert.Equal(Outcome.Permit, other.Outcome);
        Assert.Contains(other.Reasons, r => r.Term == Term.Consent && r.Outcome == Outcome.Permit);

        var withdrawn = await _admin.WithdrawConsentAsync(new WithdrawConsentRequest { ConsentId = "notorg-1", PatientId = "org-1", Reason = "patient changed their mind" });
        Assert.True(withdrawn.Revision > put.Revision);
        var after = await _decisions.CheckAsync(ReadObservation("Practitioner/org-doc", "org-1", affiliations: ["Organization/f001"]));
        Assert.Equal(Outcome.Permit, after.Outcome);
    }

    [Fact]
    public async Task Consent_is_stored_as_received_before_it_is_acknowledged()
    {
        var json = Fixture("consent-example-notThis", "kept", "kept-1");
        await _admin.PutConsentAsync(Put("kept-1", json));

        await using var connection = new Npgsql.NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var query = new Npgsql.NpgsqlCommand("SELECT patient_id, status, raw_json FROM consents WHERE id = 'kept-1'", connection);
        await using var reader = await query.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        Assert.True(await reader.ReadAsync(TestContext.Current.CancellationToken));
        Assert.Equal("kept-4", reader.GetString(0));
        Assert.Equal("active", reader.GetString(1));
        Assert.Equal(json, reader.GetString(2));
    }

    [Fact]
    public async Task Consent_denying_one_resource_instance_hides_only_that_resource()
    {
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/doc-this", "Patient/this-4"));
        await _admin.PutConsentAsync(Put("notthis-1", Fixture("consent-example-notThis", "this", "notthis-1")));

        CheckRequest Read(string id)
        {
            var facts = new ResourceFacts { Complete = true, Reference = $"DocumentReference/{id}" };
            facts.Patients.Add("this-4");
            return new CheckRequest
            {
                Token = new TokenContext { ClientId = Requests.TrustedClient, FhirUser = "Practitioner/doc-this", Scope = "user/DocumentReference.rs" },
                Interaction = Interaction.Read, ResourceType = "DocumentReference", ResourceId = id,
                Stored = new ResourceState { Facts = facts },
            };
        }

        var denied = await _decisions.CheckAsync(Read("example"));
        Assert.Equal(Outcome.Deny, denied.Outcome);
        Assert.Equal("Consent/notthis-1#provision", (await AuditedDeny(server.Host, denied, "this-4")).Source);
        Assert.Equal(Outcome.Permit, (await _decisions.CheckAsync(Read("other"))).Outcome);
    }

    [Fact]
    public async Task Research_purpose_is_denied_by_consent_and_treatment_is_not()
    {
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/researcher", "Patient/res-2"));
        await _admin.PutConsentAsync(Put("research-1", Fixture("consent-example-research", "res", "research-1")));

        var research = await _decisions.CheckAsync(ReadObservation("Practitioner/researcher", "res-2", purpose: "HRESCH"));
        Assert.Equal(Outcome.Deny, research.Outcome);
        var reason = await AuditedDeny(server.Host, research, "res-2");
        Assert.Equal(Term.Consent, reason.Term);
        Assert.Equal("Consent/research-1#provision.provision[0]", reason.Source);
        Assert.Contains("HRESCH", reason.Message);

        Assert.Equal(Outcome.Permit, (await _decisions.CheckAsync(ReadObservation("Practitioner/researcher", "res-2", purpose: "TREAT"))).Outcome);
        // No purpose: the deployment default (TREAT).
        Assert.Equal(Outcome.Permit, (await _decisions.CheckAsync(ReadObservation("Practitioner/researcher", "res-2"))).Outcome);
    }

    [Fact]
    public async Task Psy_labelled_data_is_hidden_from_a_user_without_that_clearance()
    {
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/gp", "Patient/psy-1"));
        var cleared = Requests.Grant("Practitioner/psychiatrist", "Patient/psy-1");
        cleared.Grant.SensitivityCategories.Add("PSY");
        await _admin.CreateGrantAsync(cleared);

        var gp = await _decisions.CheckAsync(ReadObservation("Practitioner/gp", "psy-1", labels: [Psy]));
        Assert.Equal(Outcome.Deny, gp.Outcome);
        var reason = Assert.Single(gp.Reasons, r => r.Outcome == Outcome.Deny);
        Assert.Equal(Term.Labels, reason.Term);
        Assert.Equal("labels.sensitivity", reason.Code);
        Assert.Equal(Outcome.Permit, (await _decisions.CheckAsync(ReadObservation("Practitioner/gp", "psy-1"))).Outcome);
        Assert.Equal(Outcome.Permit, (await _decisions.CheckAsync(ReadObservation("Practitioner/psychiatrist", "psy-1", labels: [Psy]))).Outcome);

        var gpSearch = await _decisions.CheckAsync(SearchObservations("Practitioner/gp", "psy-1"));
        Assert.Equal(Outcome.Permit, gpSearch.Outcome);
        Assert.Contains(Psy, gpSearch.Obligation.ExcludedSecurityLabels);
        var psySearch = await _decisions.CheckAsync(SearchObservations("Practitioner/psychiatrist", "psy-1"));
        Assert.DoesNotContain(Psy, psySearch.Obligation.ExcludedSecurityLabels);
    }

    [Fact]
    public async Task Break_the_glass_lifts_a_consent_deny_but_not_a_missing_scope()
    {
        var emergency = Requests.Grant("Practitioner/er-doc", "Patient/btg-1");
        emergency.Grant.BreakGlass = true;
        await _admin.CreateGrantAsync(emergency);
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/er-nobtg", "Patient/btg-1"));
        await _admin.PutConsentAsync(Put("btg-1", Fixture("consent-example-notOrg", "btg", "btg-1")));
        string[] org = ["Organization/f001"];

        var plain = await _decisions.CheckAsync(ReadObservation("Practitioner/er-doc", "btg-1", affiliations: org));
        Assert.Equal(Outcome.Deny, plain.Outcome);
        Assert.False(plain.BreakGlass);

        var glass = await _decisions.CheckAsync(ReadObservation("Practitioner/er-doc", "btg-1", purpose: "BTG", affiliations: org, breakGlassReason: "unconscious patient"));
        Assert.Equal(Outcome.Permit, glass.Outcome);
        Assert.True(glass.BreakGlass);
        Assert.Equal("unconscious patient", glass.BreakGlassObligation.Reason);
        Assert.Contains(glass.BreakGlassObligation.Lifted, l => l.StartsWith("consent.deny", StringComparison.Ordinal));
        Assert.Contains(glass.Reasons, r => r.Term == Term.Consent && r.Code == "consent.deny.break-glass");

        var noScope = await _decisions.CheckAsync(ReadObservation("Practitioner/er-doc", "btg-1", purpose: "BTG", affiliations: org,
            breakGlassReason: "unconscious patient", scope: "user/Condition.rs"));
        Assert.Equal(Outcome.Deny, noScope.Outcome);
        Assert.Equal(Term.Scope, Assert.Single(noScope.Reasons, r => r.Outcome == Outcome.Deny).Term);
        Assert.False(noScope.BreakGlass);

        var notAllowed = await _decisions.CheckAsync(ReadObservation("Practitioner/er-nobtg", "btg-1", purpose: "BTG", affiliations: org, breakGlassReason: "curious"));
        Assert.Equal(Outcome.Deny, notAllowed.Outcome);
        Assert.False(notAllowed.BreakGlass);
        Assert.Contains("break-the-glass was asked for", Assert.Single(notAllowed.Reasons, r => r.Outcome == Outcome.Deny).Message);
    }

    [Theory]
    [InlineData("\"code\": \"OPTIN\"", "\"code\": \"OPTINR\"", "Consent.policyRule")]
    [InlineData("\"reference\": \"Organization/f001\"", "\"reference\": \"PractitionerRole/r1\"", "Consent.provision.actor[0].reference.reference")]
    [InlineData("\"code\": \"access\"", "\"code\": \"share\"", "Consent.provision.action[0].coding[0]")]
    [InlineData("\"status\": \"active\",", "\"status\": \"active\", \"contained\": [{\"resourceType\": \"Organization\", \"id\": \"o\"}],", "Consent.contained")]
    [InlineData("\"provision\": {", "\"provision\": { \"typo\": 1,", "typo")]
    [InlineData("\"resourceType\": \"Consent\",", "\"resourceType\": \"Consent\"", "invalid")]
    public async Task Malformed_or_unsupported_consent_is_invalid_argument_naming_the_element_and_changes_nothing(string from, string to, string element)
    {
        var id = "bad-" + Math.Abs(element.GetHashCode()).ToString();
        var original = Fixture("consent-example-notOrg", "bad", id);
        await _admin.PutConsentAsync(Put(id, original));
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/bad-doc", "Patient/bad-1"));

        var error = await Assert.ThrowsAsync<RpcException>(() => _admin.PutConsentAsync(Put(id, original.Replace(from, to))).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("consent_json", error.Status.Detail);
        Assert.Contains(element, error.Status.Detail);
        await using var connection = new Npgsql.NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var query = new Npgsql.NpgsqlCommand($"SELECT raw_json FROM consents WHERE id = '{id}'", connection);
        Assert.Equal(original, await query.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        var decision = await _decisions.CheckAsync(ReadObservation("Practitioner/bad-doc", "bad-1", affiliations: ["Organization/f001"]));
        Assert.Equal(Outcome.Deny, decision.Outcome);
    }

    [Fact]
    public async Task Consent_can_be_put_through_json_transcoding()
    {
        var json = Fixture("consent-example-research", "http", "http-1");
        var body = System.Text.Json.JsonSerializer.Serialize(new { consentJson = json, reason = "portal" });

        using var response = await server.Host.Http.PutAsync("/v1/consents/http-1",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Contains("http-2", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
