using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Review;

/// <summary>
/// Adversarial review, sixth round: requests permitted where the documented semantics (README,
/// "Request contract"; DESIGN.md §1 "fail closed") say they must be denied or rejected. Each test
/// asserts the fail-closed outcome (a DENY, or INVALID_ARGUMENT naming the bad part); it fails while
/// the hole is open.
/// </summary>
public sealed class ReviewHoleTests6(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    /// <summary>Reaches rv6-a only, through a plain grant (and may write for her).</summary>
    private const string User = "Practitioner/rv6-user";
    /// <summary>Reaches every patient, with the default clearance.</summary>
    private const string AllPatientsUser = "Practitioner/rv6-all";

    private const string Snomed = "http://snomed.info/sct";
    private const string HivDisease = "86406008";

    private readonly AdminService.AdminServiceClient _admin = new(server.Host.Channel);
    private readonly DecisionService.DecisionServiceClient _decisions = new(server.Host.Channel);

    public async ValueTask InitializeAsync()
    {
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        await _admin.CreateGrantAsync(Requests.Grant(User, "Patient/rv6-a", "crus"));
        await _admin.CreateGrantAsync(Requests.Grant(AllPatientsUser, "*", "rs"));
        // rv6-nocond permits everything but her Conditions.
        await PutConsent("rv6-nocond", "rv6-nocond", "OPTIN", """{"type":"deny","class":[{"system":"http://hl7.org/fhir/resource-types","code":"Condition"}]}""");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task PutConsent(string id, string patient, string policy, string? provision)
    {
        var nested = provision is null ? "" : $$""","provision":{"provision":[{{provision}}]}""";
        var json = $$$"""
            {"resourceType":"Consent","id":"{{{id}}}","status":"active",
             "scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},
             "category":[{"coding":[{"system":"http://loinc.org","code":"59284-0"}]}],
             "patient":{"reference":"Patient/{{{patient}}}"},
             "policyRule":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"{{{policy}}}"}]}{{{nested}}}}
            """;
        await _admin.PutConsentAsync(new PutConsentRequest { ConsentId = id, ConsentJson = json, Reason = "signed" });
    }

    private static TokenContext Token(string scope, string user, string? launch = null)
    {
        var token = new TokenContext { ClientId = Requests.TrustedClient, FhirUser = user, Scope = scope };
        if (launch is not null)
        {
            token.LaunchPatient = launch;
        }
        return token;
    }

    private static CheckRequest Search(string type, string query, TokenContext token) => new()
    {
        Token = token, Interaction = Interaction.SearchType, ResourceType = type, Query = query,
    };

    private static string Describe(CheckResponse response) =>
        $"{response.Outcome}: {string.Join("; ", response.Reasons.Select(r => $"{r.Term}/{r.Code}: {r.Message}"))}" +
        (response.Obligation is { } o
            ? $" — obligation branches=[{string.Join(",", o.AnyOf.Select(b => $"{b.ResourceType}@{b.CompartmentPatient}"))}] patients=[{string.Join(",", o.Patients.PatientIds)}] all={o.Patients.AllPatients} excluded=[{string.Join(",", o.Patients.ExcludedPatientIds)}]"
            : " — no obligation");

    /// <summary>Fail closed: a DENY, or INVALID_ARGUMENT for a malformed request; never a PERMIT.</summary>
    private async Task AssertNotPermitted(CheckRequest request)
    {
        CheckResponse response;
        try
        {
            response = await _decisions.CheckAsync(request);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument)
        {
            return;
        }
        Assert.True(response.Outcome == Outcome.Deny, $"query '{request.Query}': {Describe(response)}");
    }

    // ---- 1. SearchQuery.TargetedPatients drops every patient= / subject= / _id value that still holds a
    // '/' after "Patient/" is cut off: a versioned reference (Patient/x/_history/1), an absolute URL
    // (https://…/Patient/x — even under Decision:FhirBaseUrls, which the facts resolver accepts), a
    // lower-case type. The RequestContract "not a patient id" rule runs on the targets after the drop,
    // so it never sees them (README: "a prefix, a space or a version is INVALID_ARGUMENT"); the search
    // is decided as one that names nobody: no scope.other-patient, no entitlement or consent check of
    // the named patient, and a PERMIT where the same search spelled patient=x is denied.

    public static TheoryData<string> OtherPatientSpellings => new()
    {
        "patient=Patient/rv6-b/_history/1",
        "subject=Patient/rv6-b/_history/1",
        "patient=https://fhir.example.org/fhir/Patient/rv6-b",
        "subject:Patient=http://other.example/Patient/rv6-b",
        "patient=patient/rv6-b",
    };

    [Theory]
    [MemberData(nameof(OtherPatientSpellings))]
    public async Task A_search_naming_another_patient_in_a_dropped_spelling_is_not_permitted_under_a_patient_scope(string query)
    {
        var token = Token("patient/Observation.rs", User, launch: "rv6-a");
        // Baseline: the plain spelling is denied (scope.other-patient).
        await AssertNotPermitted(Search("Observation", "patient=rv6-b", token));

        await AssertNotPermitted(Search("Observation", query, token));
    }

    [Theory]
    [MemberData(nameof(OtherPatientSpellings))]
    public async Task A_search_naming_an_unreached_patient_in_a_dropped_spelling_is_not_permitted_under_a_user_scope(string query)
    {
        var token = Token("user/Observation.rs", User);
        // Baseline: the plain spelling is denied (the user reaches rv6-a only).
        await AssertNotPermitted(Search("Observation", "patient=rv6-b", token));

        await AssertNotPermitted(Search("Observation", query, token));
    }

    [Theory]
    [InlineData("patient=Patient/rv6-nocond/_history/3")]
    [InlineData("subject=https://fhir.example.org/fhir/Patient/rv6-nocond")]
    public async Task A_search_naming_a_consent_denying_patient_in_a_dropped_spelling_is_not_permitted(string query)
    {
        var token = Token("user/Condition.rs", AllPatientsUser);
        // Baseline: her consent denies her Conditions.
        await AssertNotPermitted(Search("Condition", "patient=rv6-nocond", token));

        await AssertNotPermitted(Search("Condition", query, token));
    }

    [Fact]
    public async Task A_patient_search_by_a_versioned_id_is_not_permitted()
    {
        var token = Token("user/Patient.rs", User);
        await AssertNotPermitted(Search("Patient", "_id=rv6-b", token));

        await AssertNotPermitted(Search("Patient", "_id=Patient/rv6-b/_history/1", token));
    }

    // ---- 2. A conditional write's search criteria are never checked. "Conditional writes need s"
    // (README), but the query that is the search (If-None-Exist for a conditional create,
    // the URL criteria of a conditional update/patch/delete) is ignored for every non-search
    // interaction: RequestContract.ReverseChained skips CREATE/UPDATE/PATCH/DELETE and no term reads
    // the patients the criteria name. A conditional create of rv6-a's Observation with
    // If-None-Exist: patient=rv6-b&code=HIV is PERMIT; the FHIR server answers 200 with the Location
    // of rv6-b's matching Observation (or 201 when there is none), i.e. whether rv6-b has HIV, which
    // the same search is denied. Likewise _has in the criteria (search.reverse-chain as a search).

    private static CheckRequest ConditionalCreate(string query, TokenContext token) => new()
    {
        Token = token,
        Interaction = Interaction.Create,
        ResourceType = "Observation",
        Conditional = true,
        Query = query,
        Proposed = new ResourceState
        {
            Facts = new ResourceFacts { Complete = true, Patients = { "rv6-a" }, Code = { $"{Snomed}|{HivDisease}" } },
        },
    };

    public static TheoryData<string> UncheckedConditionalCriteria => new()
    {
        // Another patient's data, which the token may not search.
        $"patient=rv6-b&code={Snomed}|{HivDisease}",
        // Selection by another resource's data (denied as a search: search.reverse-chain).
        $"_has:Condition:patient:code={Snomed}|{HivDisease}",
        $"subject:Patient.name=Smith&code={Snomed}|{HivDisease}",
    };

    [Theory]
    [MemberData(nameof(UncheckedConditionalCriteria))]
    public async Task A_conditional_create_whose_criteria_select_what_the_token_may_not_search_is_not_permitted(string query)
    {
        var token = Token("user/Observation.crs", User);
        // Baseline: the same create, unconditional, is permitted (setup is right).
        var plain = ConditionalCreate("", token);
        plain.Conditional = false;
        plain.Query = "";
        var baseline = await _decisions.CheckAsync(plain);
        Assert.True(baseline.Outcome == Outcome.Permit, Describe(baseline));
        // Baseline: the criteria as a search are not permitted.
        await AssertNotPermitted(Search("Observation", query, token));

        await AssertNotPermitted(ConditionalCreate(query, token));
    }
}
