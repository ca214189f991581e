using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Decisions;

/// <summary>The scope term inside Check, intersected with the entitlement terms, over the real stack.</summary>
public sealed class ScopeTermTests(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private readonly AdminService.AdminServiceClient _admin = new(server.Host.Channel);
    private readonly DecisionService.DecisionServiceClient _decisions = new(server.Host.Channel);

    public async ValueTask InitializeAsync() => await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static CheckRequest ReadObservation(string scope, string? fhirUser, string? launch, params string[] patients)
    {
        var request = new CheckRequest
        {
            Token = new TokenContext { ClientId = Requests.TrustedClient, Scope = scope, FhirUser = fhirUser ?? "", LaunchPatient = launch ?? "" },
            Interaction = Interaction.Read,
            ResourceType = "Observation",
            ResourceId = "obs-1",
            Stored = new ResourceState { Facts = new ResourceFacts { Complete = true } },
        };
        request.Stored.Facts.Patients.AddRange(patients);
        request.Stored.Facts.Category.Add("http://terminology.hl7.org/CodeSystem/observation-category|laboratory");
        return request;
    }

    [Fact]
    public async Task Patient_context_token_cannot_reach_another_patient()
    {
        var own = await _decisions.CheckAsync(ReadObservation("patient/Observation.rs", "Patient/pc-123", "pc-123", "pc-123"));
        Assert.Equal(Outcome.Permit, own.Outcome);

        var other = await _decisions.CheckAsync(ReadObservation("patient/Observation.rs", "Patient/pc-123", "pc-123", "pc-456"));
        Assert.Equal(Outcome.Deny, other.Outcome);
        var reason = Assert.Single(other.Reasons);
        Assert.Equal(Term.Scope, reason.Term);
        Assert.Equal("scope.compartment", reason.Code);
    }

    [Fact]
    public async Task A_missing_scope_denies_even_when_the_user_is_entitled()
    {
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/entitled", "Patient/e-1"));
        var denied = await _decisions.CheckAsync(ReadObservation("user/Condition.rs", "Practitioner/entitled", null, "e-1"));
        Assert.Equal(Outcome.Deny, denied.Outcome);
        Assert.Equal("scope.missing", Assert.Single(denied.Reasons).Code);

        var permitted = await _decisions.CheckAsync(ReadObservation("user/Observation.rs", "Practitioner/entitled", null, "e-1"));
        Assert.Equal(Outcome.Permit, permitted.Outcome);
        Assert.Equal([Term.Scope, Term.Client, Term.User, Term.Consent, Term.Labels], permitted.Reasons.Select(r => r.Term));
    }

    [Fact]
    public async Task Granular_scope_constraint_is_enforced_end_to_end()
    {
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/lab-only", "Patient/g-1"));
        var lab = "user/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory";
        var vitals = "user/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|vital-signs";
        Assert.Equal(Outcome.Permit, (await _decisions.CheckAsync(ReadObservation(lab, "Practitioner/lab-only", null, "g-1"))).Outcome);
        var deny = await _decisions.CheckAsync(ReadObservation(vitals, "Practitioner/lab-only", null, "g-1"));
        Assert.Equal("scope.constraint-mismatch", Assert.Single(deny.Reasons).Code);
    }

    [Fact]
    public async Task System_token_has_no_user_term_and_is_bounded_by_its_client_group()
    {
        var members = new ChangeGroupMembersRequest { GroupId = "sys-cohort", Reason = "bulk export cohort" };
        members.Upsert.Add(new GroupMember { PatientId = "sys-1" });
        await _admin.ChangeGroupMembersAsync(members);
        await _admin.CreateGrantAsync(Requests.Grant("Client/exporter", "Group/sys-cohort"));

        CheckRequest SystemRead(string patient)
        {
            var request = ReadObservation("system/Observation.rs", null, null, patient);
            request.Token.ClientId = "exporter";
            return request;
        }
        var permit = await _decisions.CheckAsync(SystemRead("sys-1"));
        Assert.Equal(Outcome.Permit, permit.Outcome);
        Assert.DoesNotContain(permit.Reasons, r => r.Term == Term.User);
        Assert.Equal(Outcome.Deny, (await _decisions.CheckAsync(SystemRead("sys-2"))).Outcome);
    }

    [Fact]
    public async Task User_scope_without_a_fhir_user_is_denied()
    {
        var denied = await _decisions.CheckAsync(ReadObservation("user/Observation.rs", null, null, "anyone"));
        Assert.Equal(Outcome.Deny, denied.Outcome);
        Assert.Contains(denied.Reasons, r => r.Code == "user.missing");
    }

    [Theory]
    [InlineData("patient/Observation.sr", "patient/Observation.sr")]
    [InlineData("openid patient/Observaton.rs", "patient/Observaton.rs")]
    [InlineData("patient/Observation.rs?code:in=http://x", "patient/Observation.rs?code:in=http://x")]
    public async Task Malformed_scope_is_invalid_argument_naming_it(string scope, string named)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _decisions.CheckAsync(ReadObservation(scope, "Patient/x", "x", "x")).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("token.scope", error.Status.Detail);
        Assert.Contains(named, error.Status.Detail);
    }

    [Fact]
    public async Task Patient_search_carries_the_compartment_filter_and_the_patient_restriction()
    {
        var request = new CheckRequest
        {
            Token = new TokenContext { ClientId = Requests.TrustedClient, Scope = "patient/Observation.rs", FhirUser = "Patient/s-9", LaunchPatient = "s-9" },
            Interaction = Interaction.SearchType,
            ResourceType = "Observation",
            Query = "code=http://loinc.org|4548-4",
        };
        var response = await _decisions.CheckAsync(request);
        Assert.Equal(Outcome.Permit, response.Outcome);
        var branch = Assert.Single(response.Obligation.AnyOf);
        Assert.Equal("s-9", branch.CompartmentPatient);
        Assert.Equal("patient", branch.Context);
        Assert.Equal(["s-9"], response.Obligation.Patients.PatientIds);
        Assert.True(response.Obligation.Patients.Complete);

        request.Query = "patient=someone-else";
        var other = await _decisions.CheckAsync(request);
        Assert.Equal(Outcome.Deny, other.Outcome);
        Assert.Equal("scope.other-patient", Assert.Single(other.Reasons).Code);
    }

    [Fact]
    public async Task User_search_is_narrowed_to_the_users_panel()
    {
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/searcher", "Patient/sp-1"));
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/searcher", "Patient/sp-2"));
        var request = new CheckRequest
        {
            Token = new TokenContext
            {
                ClientId = Requests.TrustedClient, FhirUser = "Practitioner/searcher",
                Scope = "user/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory",
            },
            Interaction = Interaction.SearchType,
            ResourceType = "Observation",
        };
        var response = await _decisions.CheckAsync(request);
        Assert.Equal(Outcome.Permit, response.Outcome);
        var constraint = Assert.Single(Assert.Single(response.Obligation.AnyOf).AllOf);
        Assert.Equal("category", constraint.Parameter);
        Assert.Equal(["sp-1", "sp-2"], response.Obligation.Patients.PatientIds);
        Assert.Contains(response.Reasons, r => r.Code == "user.narrowed");
    }

    [Fact]
    public async Task Raw_fhir_json_is_parsed_for_compartment_and_attributes()
    {
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/json-reader", "Patient/fj-1"));
        CheckRequest Read(string json) => new()
        {
            Token = new TokenContext
            {
                ClientId = Requests.TrustedClient, FhirUser = "Practitioner/json-reader",
                Scope = "user/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory",
            },
            Interaction = Interaction.Read,
            ResourceType = "Observation",
            ResourceId = "x",
            Stored = new ResourceState { FhirJson = json },
        };
        const string lab = """{"resourceType":"Observation","id":"x","status":"final","code":{"text":"Hb"},"subject":{"reference":"Patient/fj-1"},"category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}]}]}""";
        Assert.Equal(Outcome.Permit, (await _decisions.CheckAsync(Read(lab))).Outcome);
        var otherPatient = lab.Replace("Patient/fj-1", "Patient/fj-2");
        var deny = await _decisions.CheckAsync(Read(otherPatient));
        Assert.Equal(Term.User, Assert.Single(deny.Reasons, r => r.Outcome == Outcome.Deny).Term);

        var error = await Assert.ThrowsAsync<RpcException>(() => _decisions.CheckAsync(Read("{\"resourceType\":\"Observation\",\"status\":5}")).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("stored.fhir_json", error.Status.Detail);
    }
}
