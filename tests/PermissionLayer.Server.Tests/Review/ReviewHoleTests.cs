using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Review;

/// <summary>
/// Adversarial review: requests that must not be permitted by the documented semantics (README,
/// "Request contract", "Consent, security labels, purpose of use, break-the-glass"; DESIGN.md §1).
/// Each test asserts the fail-closed outcome; it fails while the hole is open.
/// </summary>
public sealed class ReviewHoleTests(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private const string User = "Practitioner/rv-user";
    private const string AllPatientsUser = "Practitioner/rv-all";
    private const string ClearedUser = "Practitioner/rv-cleared";
    private const string SystemClient = "rv-sys";
    private const string Restricted = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality|R";
    private const string Psy = "http://terminology.hl7.org/CodeSystem/v3-ActCode|PSY";
    private const string Hiv = "http://terminology.hl7.org/CodeSystem/v3-ActCode|HIV";

    private readonly AdminService.AdminServiceClient _admin = new(server.Host.Channel);
    private readonly DecisionService.DecisionServiceClient _decisions = new(server.Host.Channel);

    public async ValueTask InitializeAsync()
    {
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        await _admin.CreateGrantAsync(Requests.Grant(User, "Patient/rv-a", "cruds"));
        await _admin.CreateGrantAsync(Requests.Grant(AllPatientsUser, "*"));
        await _admin.CreateGrantAsync(Requests.Grant($"Client/{SystemClient}", "*"));

        var cleared = Requests.Grant(ClearedUser, "Patient/rv-a");
        cleared.Grant.Clearance = "V";
        cleared.Grant.SensitivityCategories.Add("HIV");
        cleared.Grant.BreakGlass = true;
        await _admin.CreateGrantAsync(cleared);

        // rv-c withholds everything from everyone (OPTOUT, no provision).
        await _admin.PutConsentAsync(new PutConsentRequest { ConsentId = "rv-optout", ConsentJson = OptOut("rv-optout", "rv-c"), Reason = "signed" });
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static string OptOut(string id, string patient) => $$$"""
        {"resourceType":"Consent","id":"{{{id}}}","status":"active",
         "scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},
         "category":[{"coding":[{"system":"http://loinc.org","code":"59284-0"}]}],
         "patient":{"reference":"Patient/{{{patient}}}"},
         "policyRule":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"OPTOUT"}]}}
        """;

    private static TokenContext Token(string scope, string? user = User, string client = Requests.TrustedClient) =>
        new() { ClientId = client, FhirUser = user ?? "", Scope = scope };

    private static CheckRequest Read(string type, ResourceState stored, TokenContext token, string id = "x1") => new()
    {
        Token = token, Interaction = Interaction.Read, ResourceType = type, ResourceId = id, Stored = stored,
    };

    private static ResourceState Facts(string[] patients, params string[] labels) =>
        new() { Facts = new ResourceFacts { Complete = true, Patients = { patients }, Security = { labels } } };

    private static ResourceState Json(string json) => new() { FhirJson = json };

    // ---- Patient ids in facts are not validated: a consent lookup under another spelling finds nothing.

    [Theory]
    [InlineData("Patient/rv-c")]
    [InlineData("rv-c ")]
    [InlineData(" rv-c")]
    [InlineData("rv-c/_history/1")]
    public async Task A_malformed_patient_id_in_facts_does_not_skip_that_patients_consent(string patient)
    {
        // Spelled as the contract says, rv-c's consent denies.
        var plain = await _decisions.CheckAsync(Read("Observation", Facts(["rv-c"]), Token("system/Observation.rs", null)));
        Assert.Equal(Term.Consent, plain.Reasons.Single(r => r.Outcome == Outcome.Deny).Term);

        await ReviewChecks.AssertNotPermittedAsync(_decisions, Read("Observation", Facts([patient]), Token("system/Observation.rs", null)));
        await ReviewChecks.AssertNotPermittedAsync(_decisions, Read("Observation", Facts([patient]), Token("user/Observation.rs", AllPatientsUser)));
    }

    [Theory]
    [InlineData("patient=rv-c%20")]
    [InlineData("patient=%20rv-c")]
    public async Task A_search_naming_a_malformed_patient_id_does_not_skip_that_patients_consent(string query)
    {
        // The obligation would confine results to "rv-c " — a patient whose consent was never asked.
        var search = new CheckRequest { Token = Token("user/Observation.rs", AllPatientsUser), Interaction = Interaction.SearchType, ResourceType = "Observation", Query = query };
        await ReviewChecks.AssertNotPermittedAsync(_decisions, search);
    }

    // ---- A system/ token that names a fhirUser is cleared by the user's grants, not the client's.

    [Fact]
    public async Task A_system_token_does_not_borrow_the_clearance_of_the_fhirUser_it_names()
    {
        // README: "The clearance is taken from the requester's effective grants that cover the request
        // (a system token: the client's)". The client rv-sys holds N; the named user's V grant is not its own.
        var alone = await _decisions.CheckAsync(Read("Observation", Facts(["rv-a"], Restricted), Token("system/Observation.rs", null, SystemClient)));
        Assert.Equal("labels.confidentiality", alone.Reasons.Single(r => r.Outcome == Outcome.Deny).Code);

        await ReviewChecks.AssertNotPermittedAsync(_decisions, Read("Observation", Facts(["rv-a"], Restricted), Token("system/Observation.rs", ClearedUser, SystemClient)));
        await ReviewChecks.AssertNotPermittedAsync(_decisions, Read("Observation", Facts(["rv-a"], Hiv), Token("system/Observation.rs", ClearedUser, SystemClient)));
    }

    [Fact]
    public async Task A_system_token_does_not_break_the_glass_with_the_fhirUsers_break_glass_grant()
    {
        // system/ has no user term, so the user's grants were never checked; their break-glass must not lift labels.
        var token = Token("system/Observation.rs", ClearedUser, SystemClient);
        token.PurposeOfUse = "BTG";
        token.BreakGlassReason = "emergency";
        var request = Read("Observation", Facts(["rv-a"], Psy), token);
        CheckResponse response;
        try
        {
            response = await _decisions.CheckAsync(request);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument)
        {
            return;
        }
        Assert.False(response.BreakGlass);
        Assert.Equal(Outcome.Deny, response.Outcome);
    }

    // ---- A patient user is entitled to their own compartment only (DESIGN.md §1).

    [Theory]
    [InlineData(Interaction.Delete)]
    [InlineData(Interaction.Update)]
    public async Task A_patient_user_without_any_grant_cannot_change_shared_data(Interaction interaction)
    {
        var request = Read("Organization", Facts([]), Token("user/Organization.cruds", "Patient/rv-portal"), id: "org-1");
        request.Interaction = interaction;
        if (interaction == Interaction.Update)
        {
            request.Proposed = Facts([]);
        }
        await ReviewChecks.AssertNotPermittedAsync(_decisions, request);
    }

    // ---- FHIR JSON: compartment references the extractor misses or mis-reads.

    // The compartment parameter "patient" of these types is "X.subject.where(resolve() is Patient)" in
    // R4's SearchParameters; without a resolver it selects nothing, so the subject is never read and
    // only the other compartment elements (asserter, participant, performer) name patients.
    [Theory]
    [InlineData("Condition", """{"resourceType":"Condition","id":"x1","code":{"text":"x"},"subject":{"reference":"Patient/rv-zed"},"asserter":{"reference":"Patient/rv-a"}}""")]
    [InlineData("CareTeam", """{"resourceType":"CareTeam","id":"x1","subject":{"reference":"Patient/rv-zed"},"participant":[{"member":{"reference":"Patient/rv-a"}}]}""")]
    [InlineData("Procedure", """{"resourceType":"Procedure","id":"x1","status":"completed","subject":{"reference":"Patient/rv-zed"},"performer":[{"actor":{"reference":"Patient/rv-a"}}]}""")]
    public async Task Data_about_an_unreached_subject_is_not_permitted_through_another_compartment_element(string type, string json) =>
        await ReviewChecks.AssertNotPermittedAsync(_decisions, Read(type, Json(json), Token($"user/{type}.rs")));

    [Fact]
    public async Task A_condition_whose_subject_is_identifier_only_is_unresolved()
    {
        var condition = """{"resourceType":"Condition","id":"x1","code":{"text":"x"},"subject":{"identifier":{"system":"urn:oid:1.2.3","value":"999"}},"asserter":{"reference":"Patient/rv-a"}}""";
        await ReviewChecks.AssertNotPermittedAsync(_decisions, Read("Condition", Json(condition), Token("user/Condition.rs")));
    }

    [Theory]
    [InlineData("""{"reference":"patient/rv-zed"}""")]
    [InlineData("""{"reference":" Patient/rv-zed"}""")]
    [InlineData("""{"reference":"PATIENT/rv-zed"}""")]
    public async Task A_subject_that_is_not_a_known_reference_shape_is_unresolved(string subject)
    {
        var observation = $$"""{"resourceType":"Observation","id":"x1","status":"final","code":{"text":"x"},"subject":{{subject}},"performer":[{"reference":"Patient/rv-a"}]}""";
        await ReviewChecks.AssertNotPermittedAsync(_decisions, Read("Observation", Json(observation), Token("user/Observation.rs")));
    }

    [Fact]
    public async Task A_contained_patient_hidden_behind_a_duplicate_contained_id_is_unresolved()
    {
        var observation = """
            {"resourceType":"Observation","id":"x1","status":"final","code":{"text":"x"},
             "contained":[{"resourceType":"Group","id":"p","type":"person","actual":true},{"resourceType":"Patient","id":"p"}],
             "subject":{"reference":"#p"},"performer":[{"reference":"Patient/rv-a"}]}
            """;
        await ReviewChecks.AssertNotPermittedAsync(_decisions, Read("Observation", Json(observation), Token("user/Observation.rs")));
    }

    [Fact]
    public async Task A_security_label_on_a_contained_resource_is_not_ignored()
    {
        // dom-5: a contained resource SHALL NOT have a security label. The HIV-labelled data is returned
        // with its container, which the extractor reads as unlabelled.
        var observation = """
            {"resourceType":"Observation","id":"x1","status":"final","code":{"text":"x"},"subject":{"reference":"Patient/rv-a"},
             "contained":[{"resourceType":"Observation","id":"hiv","meta":{"security":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"HIV"}]},
                           "status":"final","code":{"text":"HIV viral load"},"subject":{"reference":"Patient/rv-a"}}],
             "hasMember":[{"reference":"#hiv"}]}
            """;
        await ReviewChecks.AssertNotPermittedAsync(_decisions, Read("Observation", Json(observation), Token("user/Observation.rs")));
    }
}
