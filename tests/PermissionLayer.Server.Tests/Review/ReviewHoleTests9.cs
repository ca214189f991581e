using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Review;

/// <summary>
/// Adversarial review, ninth round: requests permitted where the documented semantics (README,
/// "Request contract"; DESIGN.md §1 "fail closed") say they must be denied. Each test asserts the
/// fail-closed outcome; it fails while the hole is open.
/// </summary>
public sealed class ReviewHoleTests9(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    /// <summary>Reaches rv9-a and rv9-b through plain grants.</summary>
    private const string User = "Practitioner/rv9-user";

    /// <summary>rv9-a permits everything but her Observations (a deny by class, for everyone).</summary>
    private const string NoObservations = "rv9-a";

    private readonly AdminService.AdminServiceClient _admin = new(server.Host.Channel);
    private readonly DecisionService.DecisionServiceClient _decisions = new(server.Host.Channel);

    public async ValueTask InitializeAsync()
    {
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        await _admin.CreateGrantAsync(Requests.Grant(User, $"Patient/{NoObservations}", "rs"));
        await _admin.CreateGrantAsync(Requests.Grant(User, "Patient/rv9-b", "rs"));
        await _admin.PutConsentAsync(ReviewChecks.Consent("rv9-noobs", NoObservations, "OPTIN",
            """{"type":"deny","class":[{"system":"http://hl7.org/fhir/resource-types","code":"Observation"}]}"""));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static TokenContext Token(string scope = "user/Patient.rs user/Encounter.rs user/DiagnosticReport.rs user/Observation.rs") =>
        new() { ClientId = Requests.TrustedClient, FhirUser = User, Scope = scope };

    private static CheckRequest Search(string type, string query, string scope = "user/*.rs") => new()
    {
        Token = Token(scope), Interaction = Interaction.SearchType, ResourceType = type, Query = query,
    };

    /// <summary>
    /// Whether a permitted search's obligation lets the FHIR server return (as a match or an
    /// _include/_revinclude result) a resource of <paramref name="type"/> in the patient's compartment:
    /// some branch admits the type and the patient, and the patient restriction admits the patient.
    /// </summary>
    private static bool Admits(CheckResponse response, string patient, string type) =>
        response.Outcome == Outcome.Permit
        && response.Obligation is { } o
        && (!o.RestrictTypes || o.ResourceTypes.Contains(type))
        && o.AnyOf.Any(b => b.ResourceType is "*" or "" || b.ResourceType == type)
        && (o.Patients.AllPatients ? !o.Patients.ExcludedPatientIds.Contains(patient) : o.Patients.PatientIds.Contains(patient));

    // ---- 1. (passes: suspicion refuted) _include / _revinclude bring back resources of other types
    // than the searched one, and the consent question of a search is asked with the searched type only
    // (ConsentRequest.ResourceType; ElementFit.Classes is a plain No for another type), so a consent
    // that withholds her Observations is never matched by Patient?_id=a&_revinclude=Observation:subject.
    // What keeps them out is the obligation: a type-level search's branches carry the searched type
    // (SearchScopes: even for user/*.rs), and the obligation applies to _include results, so no
    // Observation is admitted. These tests guard that: a branch of "*" on a type-level search, or an
    // obligation that stops applying to includes, would reopen the consent-class bypass.

    [Fact]
    public async Task Baseline_her_Observations_are_withheld_her_Patient_is_not()
    {
        await ReviewChecks.AssertNotPermittedAsync(_decisions, Search("Observation", $"patient={NoObservations}"));
        var patient = await _decisions.CheckAsync(Search("Patient", $"_id={NoObservations}"));
        Assert.True(patient.Outcome == Outcome.Permit, ReviewChecks.Describe(patient));
    }

    [Fact]
    public async Task Baseline_with_type_bound_scopes_the_obligation_drops_included_Observations()
    {
        var response = await _decisions.CheckAsync(Search("Patient", $"_id={NoObservations}&_revinclude=Observation:subject",
            "user/Patient.rs user/Observation.rs"));
        Assert.False(Admits(response, NoObservations, "Observation"), ReviewChecks.Describe(response));
    }

    public static TheoryData<string, string> IncludesOfAWithheldType => new()
    {
        { "Patient", $"_id={NoObservations}&_revinclude=Observation:subject" },
        { "Patient", $"_id={NoObservations}&_revinclude=Observation:patient" },
        { "Patient", $"_id={NoObservations}&_revinclude=*" },
        { "Encounter", $"patient={NoObservations}&_revinclude=Observation:encounter" },
        { "DiagnosticReport", $"patient={NoObservations}&_include=DiagnosticReport:result" },
        { "DiagnosticReport", $"patient={NoObservations}&_include:iterate=DiagnosticReport:result" },
        { "DiagnosticReport", $"patient={NoObservations}&_include=*" },
    };

    [Theory]
    [MemberData(nameof(IncludesOfAWithheldType))]
    public async Task A_search_naming_a_patient_does_not_include_a_type_her_consent_withholds(string type, string query)
    {
        var response = await _decisions.CheckAsync(Search(type, query));
        Assert.False(Admits(response, NoObservations, "Observation"), ReviewChecks.Describe(response));
    }

    [Fact]
    public async Task A_population_search_does_not_revinclude_a_type_a_patients_consent_withholds()
    {
        // Names no patient: the consent screen of rv9-a/rv9-b is asked about Patients, so rv9-a is
        // admitted and her Observations come back as _revinclude results.
        var response = await _decisions.CheckAsync(Search("Patient", "name=Probe&_revinclude=Observation:subject"));
        Assert.False(Admits(response, NoObservations, "Observation"), ReviewChecks.Describe(response));
    }

    // ---- 2. The same class through carried resources: a resource's facts hold the patients, codes and
    // labels of every resource it carries (README: contained resources, a Bundle's entries), but not
    // their types. The consent's class is matched against the outer type only, so a DiagnosticReport
    // with a contained Observation, or a collection Bundle whose entry is her Observation, is read in
    // full past a consent that withholds her Observations.

    public static TheoryData<string, string, string> CarriersOfAWithheldType => new()
    {
        {
            "DiagnosticReport", "rv9-dr", $$$"""
            {"resourceType":"DiagnosticReport","id":"rv9-dr","status":"final",
             "contained":[{"resourceType":"Observation","id":"o1","status":"final",
                           "code":{"coding":[{"system":"http://loinc.org","code":"1234-5"}]},
                           "subject":{"reference":"Patient/{{{NoObservations}}}"},"valueString":"positive"}],
             "code":{"coding":[{"system":"http://loinc.org","code":"11502-2"}]},
             "subject":{"reference":"Patient/{{{NoObservations}}}"},
             "result":[{"reference":"#o1"}]}
            """
        },
        {
            "Bundle", "rv9-bundle", $$$"""
            {"resourceType":"Bundle","id":"rv9-bundle","type":"collection",
             "entry":[{"resource":{"resourceType":"Observation","id":"rv9-obs","status":"final",
                                   "code":{"coding":[{"system":"http://loinc.org","code":"1234-5"}]},
                                   "subject":{"reference":"Patient/{{{NoObservations}}}"},"valueString":"positive"}}]}
            """
        },
    };

    [Theory]
    [MemberData(nameof(CarriersOfAWithheldType))]
    public async Task A_resource_carrying_an_Observation_is_not_read_past_a_consent_that_withholds_Observations(string type, string id, string json) =>
        await ReviewChecks.AssertNotPermittedAsync(_decisions, new CheckRequest
        {
            Token = Token("user/*.rs"),
            Interaction = Interaction.Read,
            ResourceType = type,
            ResourceId = id,
            Stored = new ResourceState { FhirJson = json },
        });
}
