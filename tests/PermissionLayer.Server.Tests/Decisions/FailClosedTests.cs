using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Decisions;

/// <summary>
/// Requests that lack, or contradict, what the decision needs are refused or denied, never permitted
/// (issue 13, classes 1, 2, 5 and 6), over real gRPC, a real silo and real PostgreSQL. Each case was a
/// PERMIT before the request contract and the compartment rule existed.
/// </summary>
public sealed class FailClosedTests(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private const string User = "Practitioner/fc-user";
    private readonly AdminService.AdminServiceClient _admin = new(server.Host.Channel);
    private readonly DecisionService.DecisionServiceClient _decisions = new(server.Host.Channel);

    public async ValueTask InitializeAsync()
    {
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        await _admin.CreateGrantAsync(Requests.Grant(User, "Patient/fc-a"));
        await _admin.CreateGrantAsync(Requests.Grant(User, "Patient/fc-b", "cruds"));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static TokenContext Token(string scope = "user/Observation.rs", string? user = User, string launch = "") =>
        new() { ClientId = Requests.TrustedClient, FhirUser = user ?? "", Scope = scope, LaunchPatient = launch };

    private static CheckRequest Read(string type, ResourceState? stored, string id = "x1", TokenContext? token = null) => new()
    {
        Token = token ?? Token(),
        Interaction = Interaction.Read,
        ResourceType = type,
        ResourceId = id,
        Stored = stored,
    };

    private static ResourceState Facts(params string[] patients) => new() { Facts = new ResourceFacts { Complete = true, Patients = { patients } } };

    private static ResourceState Json(string json) => new() { FhirJson = json };

    private static string ObservationWithSubject(string subject) =>
        $$"""{"resourceType":"Observation","id":"x1","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},"subject":{{subject}}}""";

    private async Task<RpcException> Rejected(CheckRequest request) =>
        await Assert.ThrowsAsync<RpcException>(async () => await _decisions.CheckAsync(request));

    [Fact]
    public async Task A_read_without_its_stored_state_is_invalid_naming_stored()
    {
        var error = await Rejected(Read("Observation", null));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("stored:", error.Status.Detail);
    }

    [Theory]
    [InlineData(Interaction.Delete)]
    [InlineData(Interaction.Update)]
    [InlineData(Interaction.Patch)]
    [InlineData(Interaction.Vread)]
    [InlineData(Interaction.HistoryInstance)]
    public async Task Instance_interactions_without_the_stored_state_are_invalid(Interaction interaction)
    {
        var request = Read("Observation", null, token: Token("user/Observation.cruds"));
        request.Interaction = interaction;
        request.Proposed = Facts("fc-b");
        var error = await Rejected(request);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("stored:", error.Status.Detail);
    }

    [Fact]
    public async Task Update_as_create_says_so_and_checks_the_new_body()
    {
        var request = Read("Observation", new ResourceState { Absent = true }, token: Token("user/Observation.cruds"));
        request.Interaction = Interaction.Update;
        request.Proposed = Facts("fc-b");
        Assert.Equal(Outcome.Permit, (await _decisions.CheckAsync(request)).Outcome);

        request.Proposed = Facts("fc-elsewhere");
        Assert.Equal(Outcome.Deny, (await _decisions.CheckAsync(request)).Outcome);
    }

    [Fact]
    public async Task Facts_that_name_no_patient_for_a_compartment_type_are_denied_not_read_as_non_patient_data()
    {
        var response = await _decisions.CheckAsync(Read("Observation", Facts()));
        Assert.Equal(Outcome.Deny, response.Outcome);
        Assert.Equal("compartment.no-patient", response.Reasons.Single(r => r.Outcome == Outcome.Deny).Code);
    }

    [Theory]
    [InlineData("""{"reference":"http://other.example.org/fhir/Patient/fc-a"}""")]
    [InlineData("""{"identifier":{"system":"urn:oid:1.2.3","value":"12345"}}""")]
    [InlineData("""{"reference":"urn:uuid:0f4b2c1e-0000-4000-8000-000000000001"}""")]
    [InlineData("""{"reference":"Patient?identifier=urn:oid:1.2.3|12345"}""")]
    [InlineData("""{"display":"Ann Example"}""")]
    public async Task A_subject_that_resolves_to_none_of_our_patients_is_denied(string subject)
    {
        var response = await _decisions.CheckAsync(Read("Observation", Json(ObservationWithSubject(subject))));
        Assert.Equal(Outcome.Deny, response.Outcome);
        var deny = response.Reasons.Single(r => r.Outcome == Outcome.Deny);
        Assert.Equal("compartment.unresolved", deny.Code);
        Assert.Contains("Observation.subject", deny.Message);
    }

    [Fact]
    public async Task A_contained_patient_is_unresolved_and_a_versioned_reference_resolves()
    {
        var contained = """{"resourceType":"Observation","id":"x1","status":"final","code":{"text":"x"},"contained":[{"resourceType":"Patient","id":"p"}],"subject":{"reference":"#p"}}""";
        Assert.Equal("compartment.unresolved", (await _decisions.CheckAsync(Read("Observation", Json(contained)))).Reasons.Single(r => r.Outcome == Outcome.Deny).Code);

        var versioned = await _decisions.CheckAsync(Read("Observation", Json(ObservationWithSubject("""{"reference":"Patient/fc-a/_history/3"}"""))));
        Assert.Equal(Outcome.Permit, versioned.Outcome);
        var other = await _decisions.CheckAsync(Read("Observation", Json(ObservationWithSubject("""{"reference":"Patient/fc-zed/_history/3"}"""))));
        Assert.Equal(Outcome.Deny, other.Outcome);
    }

    [Fact]
    public async Task Patient_links_through_other_elements_than_subject_are_found()
    {
        var allergy = """{"resourceType":"AllergyIntolerance","id":"x1","patient":{"reference":"Patient/fc-zed"},"code":{"text":"peanut"}}""";
        var response = await _decisions.CheckAsync(Read("AllergyIntolerance", Json(allergy), token: Token("user/AllergyIntolerance.rs")));
        Assert.Equal(Outcome.Deny, response.Outcome);
        Assert.Equal("user.no-grant", response.Reasons.Single(r => r.Outcome == Outcome.Deny).Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("*")]
    public async Task An_instance_read_needs_a_concrete_resource_type(string type)
    {
        var error = await Rejected(Read(type, Facts("fc-a")));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("resource_type:", error.Status.Detail);
    }

    [Fact]
    public async Task Fhir_json_of_another_type_than_resource_type_is_invalid()
    {
        var medication = """{"resourceType":"MedicationRequest","id":"x1","status":"active","intent":"order","subject":{"reference":"Patient/fc-a"},"medicationCodeableConcept":{"text":"x"}}""";
        var error = await Rejected(Read("Observation", Json(medication)));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("stored.fhir_json:", error.Status.Detail);
    }

    [Fact]
    public async Task A_patient_read_whose_facts_name_another_patient_is_invalid()
    {
        var error = await Rejected(Read("Patient", Facts("fc-a"), id: "fc-other", token: Token("user/Patient.rs")));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("stored.patients:", error.Status.Detail);

        var json = await Rejected(Read("Patient", Json("""{"resourceType":"Patient","id":"fc-a"}"""), id: "fc-other", token: Token("user/Patient.rs")));
        Assert.StartsWith("stored.reference:", json.Status.Detail);
    }

    [Fact]
    public async Task A_client_reference_is_not_a_user()
    {
        var error = await Rejected(Read("Observation", Facts("fc-a"), token: Token(user: $"Client/{Requests.TrustedClient}")));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("token.fhir_user:", error.Status.Detail);
    }

    private static CheckRequest Operation(string name, string type, string id, string scope) => new()
    {
        Token = Token(scope),
        Interaction = Interaction.Operation,
        ResourceType = type,
        ResourceId = id,
        Operation = name,
    };

    [Fact]
    public async Task Patient_everything_is_a_search_of_every_type_of_that_patient()
    {
        // A read scope on Patient alone was enough before: the operation was checked as a plain read.
        Assert.Equal(Outcome.Deny, (await _decisions.CheckAsync(Operation("$everything", "Patient", "fc-a", "user/Patient.r"))).Outcome);
        // A search scope on one type: permitted, and the results are confined to that type.
        var patientOnly = await _decisions.CheckAsync(Operation("$everything", "Patient", "fc-a", "user/Patient.rs"));
        Assert.Equal(Outcome.Permit, patientOnly.Outcome);
        Assert.True(patientOnly.Obligation.RestrictTypes);
        Assert.Equal(["Patient"], patientOnly.Obligation.ResourceTypes);

        var permitted = await _decisions.CheckAsync(Operation("$everything", "Patient", "fc-a", "user/*.rs"));
        Assert.Equal(Outcome.Permit, permitted.Outcome);
        Assert.Equal(["fc-a"], permitted.Obligation.Patients.PatientIds);

        Assert.Equal(Outcome.Deny, (await _decisions.CheckAsync(Operation("$everything", "Patient", "fc-zed", "user/*.rs"))).Outcome);
    }

    [Fact]
    public async Task Unknown_operations_are_denied_and_a_missing_name_is_invalid()
    {
        var unknown = await _decisions.CheckAsync(Operation("$purge", "Patient", "fc-a", "user/*.cruds"));
        Assert.Equal(Outcome.Deny, unknown.Outcome);
        Assert.Equal("operation.unsupported", unknown.Reasons.Single().Code);

        var error = await Rejected(Operation("", "Patient", "fc-a", "user/*.rs"));
        Assert.StartsWith("operation:", error.Status.Detail);
    }

    [Fact]
    public async Task A_search_that_names_its_patient_is_confined_to_that_patient()
    {
        var search = new CheckRequest
        {
            Token = Token(), Interaction = Interaction.SearchType, ResourceType = "Observation", Query = "patient=fc-a&_include=Observation:performer",
        };
        var response = await _decisions.CheckAsync(search);
        Assert.Equal(Outcome.Permit, response.Outcome);
        // Before: every patient the user reaches (fc-a and fc-b), although only fc-a was checked.
        Assert.Equal(["fc-a"], response.Obligation.Patients.PatientIds);
        Assert.False(response.Obligation.Patients.AllPatients);
    }

    private async Task<List<string>> Streamed(TokenContext token)
    {
        using var call = _decisions.StreamAccessiblePatients(new AccessiblePatientsRequest { Token = token, ResourceType = "Observation" });
        var ids = new List<string>();
        await foreach (var page in call.ResponseStream.ReadAllAsync(TestContext.Current.CancellationToken))
        {
            Assert.False(page.AllPatients);
            ids.AddRange(page.PatientIds);
        }
        return ids;
    }

    [Fact]
    public async Task The_accessible_patients_stream_applies_the_scope_term()
    {
        Assert.Equal(["fc-a", "fc-b"], await Streamed(Token()));
        // Only non-resource scopes: they grant no data, so nobody is reachable (was: the client's whole reach).
        Assert.Empty(await Streamed(Token("openid fhirUser")));
        // A patient/ launch reaches its patient only (was: everyone the user reaches).
        Assert.Equal(["fc-a"], await Streamed(Token("patient/Observation.rs", launch: "fc-a")));
        Assert.Empty(await Streamed(Token("patient/Observation.rs", launch: "fc-zed")));
    }

    [Fact]
    public async Task Facts_that_do_not_say_they_list_every_label_cannot_clear_labelled_data()
    {
        var request = Read("Observation", new ResourceState { Facts = new ResourceFacts { Patients = { "fc-a" } } });
        var response = await _decisions.CheckAsync(request);
        Assert.Equal(Outcome.Deny, response.Outcome);
        Assert.Equal("labels.unknown", response.Reasons.Single(r => r.Outcome == Outcome.Deny).Code);

        request.Stored.Facts.Complete = true;
        Assert.Equal(Outcome.Permit, (await _decisions.CheckAsync(request)).Outcome);
    }

    [Fact]
    public async Task An_error_about_a_huge_value_stays_short_and_the_connection_keeps_working()
    {
        var huge = new string('X', 100_000);
        var error = await Rejected(Read(huge, Facts("fc-a")));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("resource_type:", error.Status.Detail);
        Assert.True(error.Status.Detail.Length < 1200, $"{error.Status.Detail.Length} characters");

        var scope = await Rejected(Read("Observation", Facts("fc-a"), token: Token("user/Observation.rs?code=" + huge + "&x")));
        Assert.True(scope.Status.Detail.Length < 1200, $"{scope.Status.Detail.Length} characters");

        Assert.Equal(Outcome.Permit, (await _decisions.CheckAsync(Read("Observation", new ResourceState { Facts = new ResourceFacts { Complete = true, Patients = { "fc-a" } } }))).Outcome);
    }
}
