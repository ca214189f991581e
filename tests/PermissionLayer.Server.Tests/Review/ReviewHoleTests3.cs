using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Review;

/// <summary>
/// Adversarial review, third round: requests permitted where the documented semantics (README,
/// "Request contract"; CONSENT.md; DESIGN.md §1 "fail closed") say they must be denied. Each test
/// asserts the fail-closed outcome (a DENY, or INVALID_ARGUMENT naming the bad part); it fails while
/// the hole is open.
/// </summary>
public sealed class ReviewHoleTests3(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    /// <summary>Reaches only rv3-a, through a plain grant.</summary>
    private const string User = "Practitioner/rv3-user";
    /// <summary>Reaches every patient, with the default clearance (N, no sensitivity category).</summary>
    private const string AllPatientsUser = "Practitioner/rv3-all";
    /// <summary>Reaches rv3-typed, but only for Observations.</summary>
    private const string ObservationsOnlyUser = "Practitioner/rv3-obs-only";
    /// <summary>A patient portal user with no grant at all.</summary>
    private const string PatientUser = "Patient/rv3-self";

    private const string Loinc = "http://loinc.org";
    private const string Snomed = "http://snomed.info/sct";
    private const string HivDisease = "86406008";

    private readonly AdminService.AdminServiceClient _admin = new(server.Host.Channel);
    private readonly DecisionService.DecisionServiceClient _decisions = new(server.Host.Channel);

    public async ValueTask InitializeAsync()
    {
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        await _admin.CreateGrantAsync(Requests.Grant(User, "Patient/rv3-a", "rs"));
        await _admin.CreateGrantAsync(Requests.Grant(AllPatientsUser, "*", "rs"));
        var observationsOnly = Requests.Grant(ObservationsOnlyUser, "Patient/rv3-typed", "rs");
        observationsOnly.Grant.ResourceTypes.Add("Observation");
        await _admin.CreateGrantAsync(observationsOnly);

        // rv3-c withholds everything from everyone (OPTOUT, no provision).
        await _admin.PutConsentAsync(ReviewChecks.Consent("rv3-optout", "rv3-c", "OPTOUT", null));
        // rv3-nocond permits everything but her Conditions.
        await _admin.PutConsentAsync(ReviewChecks.Consent("rv3-nocond", "rv3-nocond", "OPTIN", """{"type":"deny","class":[{"system":"http://hl7.org/fhir/resource-types","code":"Condition"}]}"""));
        // rv3-noobs permits everything but her Observations.
        await _admin.PutConsentAsync(ReviewChecks.Consent("rv3-noobs", "rv3-noobs", "OPTIN", """{"type":"deny","class":[{"system":"http://hl7.org/fhir/resource-types","code":"Observation"}]}"""));
        // rv3-nohiv permits everything but data coded as HIV disease.
        await _admin.PutConsentAsync(ReviewChecks.Consent("rv3-nohiv", "rv3-nohiv", "OPTIN", $$"""{"type":"deny","code":[{"coding":[{"system":"{{Snomed}}","code":"{{HivDisease}}"}]}]}"""));
        // rv3-noresearch permits everything but research use.
        await _admin.PutConsentAsync(ReviewChecks.Consent("rv3-noresearch", "rv3-noresearch", "OPTIN",
            """{"type":"deny","purpose":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActReason","code":"HRESCH"}]}"""));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static TokenContext Token(string scope, string user, string? purpose = null) =>
        new() { ClientId = Requests.TrustedClient, FhirUser = user, Scope = scope, PurposeOfUse = purpose ?? "" };

    private static CheckRequest ReadJson(string type, string id, string json, TokenContext token) => new()
    {
        Token = token, Interaction = Interaction.Read, ResourceType = type, ResourceId = id,
        Stored = new ResourceState { FhirJson = json },
    };

    private static CheckRequest Search(Interaction interaction, string type, string query, TokenContext token) => new()
    {
        Token = token, Interaction = interaction, ResourceType = type, Query = query,
    };

    // ---- 1. A system-level search with a concrete resource_type: the contract says "*" or empty.
    // The type is then used for the grant's type limit and the consent's class, while the obligation
    // (from a user/*.rs scope) does not restrict the types the FHIR server returns.

    [Fact]
    public async Task A_system_search_naming_a_resource_type_does_not_widen_a_grant_limited_to_that_type()
    {
        var token = Token("user/*.rs", ObservationsOnlyUser);
        // Baseline: as the contract spells it, the Observation-only grant does not cover a search of every type.
        await ReviewChecks.AssertNotPermittedAsync(_decisions, Search(Interaction.SearchSystem, "*", "patient=rv3-typed", token));

        // Named "Observation", the grant covers it, and the obligation (types unrestricted) lets the FHIR
        // server return rv3-typed's Conditions, MedicationRequests, ... to a user entitled to her Observations only.
        await ReviewChecks.AssertNotPermittedAsync(_decisions, Search(Interaction.SearchSystem, "Observation", "patient=rv3-typed", token));
    }

    [Theory]
    [InlineData(Interaction.SearchSystem)]
    [InlineData(Interaction.HistorySystem)]
    public async Task A_system_search_naming_a_resource_type_does_not_skip_a_consent_that_denies_another_class(Interaction interaction)
    {
        var token = Token("user/*.rs", AllPatientsUser);
        // Baseline: a system-level search may return Conditions, so rv3-nocond's deny counts.
        await ReviewChecks.AssertNotPermittedAsync(_decisions, Search(interaction, "*", "patient=rv3-nocond", token));

        // With resource_type "Observation" the consent is asked about Observations only, while the
        // obligation does not restrict the types: her Conditions come back.
        await ReviewChecks.AssertNotPermittedAsync(_decisions, Search(interaction, "Observation", "patient=rv3-nocond", token));
    }

    // ---- 2. An operation named on an interaction that is not OPERATION is decided as that interaction.

    [Fact]
    public async Task An_operation_name_on_a_read_is_not_decided_as_a_plain_read()
    {
        var token = Token("user/Patient.r", User);
        var everything = new CheckRequest
        {
            Token = token, Interaction = Interaction.Operation, Operation = "$everything", ResourceType = "Patient", ResourceId = "rv3-a",
        };
        // Baseline: Patient/rv3-a/$everything is a search of her whole compartment; user/Patient.r does not cover it.
        await ReviewChecks.AssertNotPermittedAsync(_decisions, everything);

        // The same operation sent with interaction READ (a PEP that maps GET to READ) is permitted as a
        // read of the Patient resource: a contradictory request, which the contract says is INVALID_ARGUMENT.
        var asRead = everything.Clone();
        asRead.Interaction = Interaction.Read;
        asRead.Stored = new ResourceState { Facts = new ResourceFacts { Complete = true, Patients = { "rv3-a" } } };
        await ReviewChecks.AssertNotPermittedAsync(_decisions, asRead);
    }

    // ---- 3. Resources outside the R4 Patient compartment that name a patient are "not patient data":
    // the named patient's consent and the entitlement to that patient are never asked.

    public static TheoryData<string, string> OtherPatientsDataOutsideTheCompartment => new()
    {
        // Task.for: "The entity who benefits from the performance of the service specified in the task (e.g., the patient)."
        { "Task", """{"resourceType":"Task","id":"t1","status":"requested","intent":"order","for":{"reference":"Patient/rv3-c"},"description":"HIV viral load follow-up"}""" },
        // Binary.securityContext: the resource whose access rules apply to the Binary (here: the patient's).
        { "Binary", """{"resourceType":"Binary","id":"t1","contentType":"text/plain","securityContext":{"reference":"Patient/rv3-c"},"data":"c2VjcmV0"}""" },
        // Device.patient: "Patient information, if the device is affixed to a person."
        { "Device", """{"resourceType":"Device","id":"t1","patient":{"reference":"Patient/rv3-c"},"type":{"text":"insulin pump"}}""" },
        // A document Bundle carries its patient's resources in full.
        { "Bundle", """{"resourceType":"Bundle","id":"t1","type":"collection","entry":[{"resource":{"resourceType":"Observation","id":"o1","status":"final","code":{"text":"HIV viral load"},"subject":{"reference":"Patient/rv3-c"}}}]}""" },
    };

    [Theory]
    [MemberData(nameof(OtherPatientsDataOutsideTheCompartment))]
    public async Task A_resource_outside_the_compartment_that_names_a_withholding_patient_is_not_permitted(string type, string json)
    {
        // rv3-c's consent withholds everything from everyone; the user holds no grant to rv3-c at all.
        await ReviewChecks.AssertNotPermittedAsync(_decisions, ReadJson(type, "t1", json, Token($"user/{type}.rs", User)));
    }

    [Theory]
    [MemberData(nameof(OtherPatientsDataOutsideTheCompartment))]
    public async Task A_patient_user_cannot_read_another_patients_data_outside_the_compartment(string type, string json)
    {
        // DESIGN.md §1: "A fhirUser of Patient/x (patient portal) is entitled to their own compartment only."
        await ReviewChecks.AssertNotPermittedAsync(_decisions, ReadJson(type, "t1", json, Token($"user/{type}.rs", PatientUser)));
    }

    [Fact]
    public async Task A_security_label_on_a_bundle_entry_is_not_ignored()
    {
        // As for contained resources (review 1): the entries travel with the Bundle, their labels with them.
        const string json = """
            {"resourceType":"Bundle","id":"b1","type":"collection","entry":[{"resource":
              {"resourceType":"Observation","id":"o1","status":"final","code":{"text":"HIV viral load"},"subject":{"reference":"Patient/rv3-a"},
               "meta":{"security":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"HIV"}]}}}]}
            """;
        await ReviewChecks.AssertNotPermittedAsync(_decisions, ReadJson("Bundle", "b1", json, Token("user/Bundle.rs", AllPatientsUser)));
    }

    // ---- 4. Contained resources about another patient: their labels count (review 1), their patients do not.

    [Fact]
    public async Task A_contained_resource_about_a_withholding_patient_is_not_permitted_with_its_container()
    {
        const string json = """
            {"resourceType":"Observation","id":"o2","status":"final","code":{"text":"family history note"},
             "subject":{"reference":"Patient/rv3-a"},"focus":[{"reference":"#c1"}],
             "contained":[{"resourceType":"Condition","id":"c1","code":{"text":"HIV disease"},"subject":{"reference":"Patient/rv3-c"}}]}
            """;
        // The user reaches rv3-a; the contained Condition is rv3-c's, whose consent withholds everything.
        await ReviewChecks.AssertNotPermittedAsync(_decisions, ReadJson("Observation", "o2", json, Token("user/Observation.rs", AllPatientsUser)));
    }

    // ---- 5. Consent provision.code: "If this code is found in an instance, then the rule applies" (R4).
    // The extractor reads only the type's `code` element and says its facts are complete, so a code
    // elsewhere in the resource reads as certainly absent and the deny is skipped.

    public static TheoryData<string, string> HivCodedOutsideTheCodeElement => new()
    {
        { "Encounter", $$$"""{"resourceType":"Encounter","id":"e1","status":"finished","class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},"subject":{"reference":"Patient/rv3-nohiv"},"reasonCode":[{"coding":[{"system":"{{{Snomed}}}","code":"{{{HivDisease}}}"}]}]}""" },
        { "Observation", $$$"""{"resourceType":"Observation","id":"e1","status":"final","code":{"coding":[{"system":"{{{Loinc}}}","code":"29308-4"}]},"subject":{"reference":"Patient/rv3-nohiv"},"valueCodeableConcept":{"coding":[{"system":"{{{Snomed}}}","code":"{{{HivDisease}}}"}]}}""" },
        { "MedicationRequest", $$$"""{"resourceType":"MedicationRequest","id":"e1","status":"active","intent":"order","medicationCodeableConcept":{"text":"antiretroviral"},"subject":{"reference":"Patient/rv3-nohiv"},"reasonCode":[{"coding":[{"system":"{{{Snomed}}}","code":"{{{HivDisease}}}"}]}]}""" },
    };

    [Theory]
    [MemberData(nameof(HivCodedOutsideTheCodeElement))]
    public async Task A_consent_denying_a_code_applies_wherever_the_code_is_in_the_resource(string type, string json)
    {
        await ReviewChecks.AssertNotPermittedAsync(_decisions, ReadJson(type, "e1", json, Token($"user/{type}.rs", AllPatientsUser)));
    }

    // ---- 6. Purpose of use in an unusual spelling reads as "certainly another purpose".

    [Theory]
    [InlineData("hresch")]
    [InlineData("HRESCH ")]
    [InlineData(" HRESCH")]
    [InlineData("http://terminology.hl7.org/CodeSystem/v3-ActReason|hresch")]
    public async Task A_consent_denying_research_is_not_skipped_by_a_purpose_spelled_another_way(string purpose)
    {
        var read = new CheckRequest
        {
            Token = Token("user/Observation.rs", AllPatientsUser, "HRESCH"),
            Interaction = Interaction.Read, ResourceType = "Observation", ResourceId = "o3",
            Stored = new ResourceState { Facts = new ResourceFacts { Complete = true, Patients = { "rv3-noresearch" } } },
        };
        // Baseline: research is denied.
        await ReviewChecks.AssertNotPermittedAsync(_decisions, read);

        // Not an ActReason code, so what purpose it is is unknown: a deny that depends on it must count
        // (or the request is malformed). Today it is read as "not research", and the deny is skipped.
        read.Token.PurposeOfUse = purpose;
        await ReviewChecks.AssertNotPermittedAsync(_decisions, read);
    }

    // ---- 7. _has (reverse chaining) filters on another type's data, which no term checks.

    [Fact]
    public async Task A_patient_search_filtering_on_observations_does_not_skip_a_consent_that_denies_observations()
    {
        var token = Token("user/Patient.rs", AllPatientsUser);
        // Baseline: her Observations are withheld.
        await ReviewChecks.AssertNotPermittedAsync(_decisions, Search(Interaction.SearchType, "Observation", "patient=rv3-noobs", token));

        // Whether she is returned tells whether she has an HIV test Observation: data her consent withholds.
        await ReviewChecks.AssertNotPermittedAsync(_decisions, Search(Interaction.SearchType, "Patient", $"_id=rv3-noobs&_has:Observation:patient:code={Loinc}|7918-6", token));
    }

    [Fact]
    public async Task A_patient_search_filtering_on_labelled_observations_is_not_permitted_without_clearance()
    {
        // The obligation excludes HIV-labelled Patients only; which patients have HIV-labelled
        // Observations is what the search returns.
        var token = Token("user/Patient.rs", AllPatientsUser);
        await ReviewChecks.AssertNotPermittedAsync(_decisions, Search(Interaction.SearchType, "Patient",
            "_has:Observation:patient:_security=http://terminology.hl7.org/CodeSystem/v3-ActCode|HIV", token));
    }

    // ---- 9. StreamAccessiblePatients takes any resource_type: one that is no FHIR type (here a case
    // slip) matches no consent class, so patients whose consent withholds that type are streamed.

    private async Task<AccessiblePatientsPage?> FirstPage(string resourceType)
    {
        using var call = _decisions.StreamAccessiblePatients(new AccessiblePatientsRequest
        {
            Token = Token("user/*.rs", AllPatientsUser), Interaction = Interaction.SearchType, ResourceType = resourceType,
        });
        try
        {
            await foreach (var page in call.ResponseStream.ReadAllAsync(TestContext.Current.CancellationToken))
            {
                return page;
            }
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument)
        {
            return null;
        }
        return null;
    }

    [Fact]
    public async Task The_accessible_patients_stream_does_not_drop_a_consent_for_a_misspelt_resource_type()
    {
        // Baseline: for Observations, rv3-noobs is left out (every patient, less her).
        var observations = await FirstPage("Observation");
        Assert.NotNull(observations);
        Assert.Contains("rv3-noobs", observations.ExcludedPatientIds);

        // Check rejects "observation" (resource_type is case-sensitive); the stream answers it, without
        // her exclusion. Fail closed: INVALID_ARGUMENT (null here), or the same exclusion.
        var misspelt = await FirstPage("observation");
        if (misspelt is not null)
        {
            Assert.True(!misspelt.AllPatients || misspelt.ExcludedPatientIds.Contains("rv3-noobs"),
                $"all_patients with exclusions [{string.Join(",", misspelt.ExcludedPatientIds)}]: rv3-noobs's withholding consent is not applied");
        }
    }

    // ---- 8. Deny messages: the user term names a patient the user is not entitled to.

    [Fact]
    public async Task A_deny_does_not_name_a_patient_the_user_may_not_see()
    {
        // An Observation about rv3-a that rv3-hidden performed (Observation.performer is a compartment element).
        const string json = """
            {"resourceType":"Observation","id":"o4","status":"final","code":{"text":"note"},
             "subject":{"reference":"Patient/rv3-a"},"performer":[{"reference":"Patient/rv3-hidden"}]}
            """;
        var response = await _decisions.CheckAsync(ReadJson("Observation", "o4", json, Token("user/Observation.rs", User)));
        Assert.Equal(Outcome.Deny, response.Outcome);
        // The reasons are documented as safe to show the user: that this Observation involves
        // Patient/rv3-hidden is exactly what the user may not learn.
        Assert.All(response.Reasons, r =>
        {
            Assert.DoesNotContain("rv3-hidden", r.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("rv3-hidden", r.Source, StringComparison.Ordinal);
        });
    }
}
