using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Review;

/// <summary>
/// Adversarial review, seventh round: requests permitted where the documented semantics (README,
/// "Request contract"; DESIGN.md §1 "fail closed") say they must be denied or rejected. Each test
/// asserts the fail-closed outcome (a DENY, or INVALID_ARGUMENT naming the bad part); it fails while
/// the hole is open.
/// </summary>
public sealed class ReviewHoleTests7(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    /// <summary>Reaches rv7-a and rv7-c only, through plain grants (and may write for them).</summary>
    private const string User = "Practitioner/rv7-user";

    private const string Snomed = "http://snomed.info/sct";
    private const string HivDisease = "86406008";

    private readonly AdminService.AdminServiceClient _admin = new(server.Host.Channel);
    private readonly DecisionService.DecisionServiceClient _decisions = new(server.Host.Channel);

    public async ValueTask InitializeAsync()
    {
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        // Full clearance for rv7-a: a conditional write's criteria may match any of its data, so only a
        // requester whose search of rv7-a excludes no label may write conditionally (lead's note).
        var cleared = Requests.Grant(User, "Patient/rv7-a", "crus");
        cleared.Grant.Clearance = "V";
        cleared.Grant.SensitivityCategories.AddRange(PermissionLayer.Core.Labels.SensitivityCategory.Codes.Order(StringComparer.Ordinal));
        await _admin.CreateGrantAsync(cleared);
        await _admin.CreateGrantAsync(Requests.Grant(User, "Patient/rv7-c", "crus"));
        // rv7-c withholds access (only access: not correct) from rv7-user.
        await _admin.PutConsentAsync(ReviewChecks.Consent("rv7-noaccess", "rv7-c", "OPTIN", $$$"""
            {"type":"deny",
             "actor":[{"role":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ParticipationType","code":"PRCP"}]},
                       "reference":{"reference":"{{{User}}}"}}],
             "action":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentaction","code":"access"}]}]}
            """));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static TokenContext Token(string scope) => new() { ClientId = Requests.TrustedClient, FhirUser = User, Scope = scope };

    private static ResourceState Observation(string patient, string id = "obs-1") => new()
    {
        Facts = new ResourceFacts { Complete = true, Patients = { patient }, Code = { $"{Snomed}|{HivDisease}" }, Reference = $"Observation/{id}" },
    };

    // ---- 1. A conditional create's criteria that name no patient (or name one only through a
    // compartment parameter other than patient/subject) are checked for nobody. Round 6 made the
    // patients named by patient=/subject= "touched", but If-None-Exist is a search the FHIR server
    // runs over the whole server with no obligation (a create carries none): with one match it answers
    // 200 with the existing resource's Location instead of 201. So If-None-Exist: code=HIV tells the
    // user whether anyone has an HIV Observation and gives its id; performer=Patient/rv7-b&code=HIV
    // whether rv7-b does. The same criteria as a search are permitted only because the obligation
    // confines its results to rv7-a; a conditional create has no such confinement, so it must be
    // denied (or its criteria required to name the patients the token reaches).

    private static CheckRequest ConditionalCreate(string query) => new()
    {
        Token = Token("user/Observation.crs"),
        Interaction = Interaction.Create,
        ResourceType = "Observation",
        Conditional = true,
        Query = query,
        Proposed = new ResourceState { Facts = new ResourceFacts { Complete = true, Patients = { "rv7-a" }, Code = { $"{Snomed}|{HivDisease}" } } },
    };

    public static TheoryData<string> UnconfinedCriteria => new()
    {
        $"code={Snomed}|{HivDisease}",
        $"performer=Patient/rv7-b&code={Snomed}|{HivDisease}",
        "identifier=http://lab.example.org|sample-4711",
        "_id=obs-of-someone-else",
    };

    [Theory]
    [MemberData(nameof(UnconfinedCriteria))]
    public async Task A_conditional_create_whose_criteria_match_across_unreached_patients_is_not_permitted(string query)
    {
        // Baseline: the same create naming rv7-a in its criteria is permitted (set-up is right), and the
        // criteria as a search are confined by an obligation to the patients the user reaches.
        var confined = await _decisions.CheckAsync(ConditionalCreate($"patient=rv7-a&code={Snomed}|{HivDisease}"));
        Assert.True(confined.Outcome == Outcome.Permit, ReviewChecks.Describe(confined));
        var asSearch = await _decisions.CheckAsync(new CheckRequest
        {
            Token = Token("user/Observation.crs"), Interaction = Interaction.SearchType, ResourceType = "Observation", Query = query,
        });
        Assert.True(asSearch.Outcome == Outcome.Permit && asSearch.Obligation.Patients is { AllPatients: false }, ReviewChecks.Describe(asSearch));

        await ReviewChecks.AssertNotPermittedAsync(_decisions, ConditionalCreate(query));
    }

    /// <summary>
    /// Lead's addition: criteria that name the patient are still confined when the requester's search
    /// of that patient would exclude labels (rv7-d: default clearance): whether a match exists could
    /// be restricted data.
    /// </summary>
    [Fact]
    public async Task A_conditional_create_by_a_requester_whose_search_excludes_labels_is_confined()
    {
        await _admin.CreateGrantAsync(Requests.Grant(User, "Patient/rv7-d", "crus"));
        var request = ConditionalCreate($"patient=rv7-d&code={Snomed}|{HivDisease}");
        request.Proposed.Facts.Patients.Clear();
        request.Proposed.Facts.Patients.Add("rv7-d");
        var answer = await _decisions.CheckAsync(request);
        Assert.True(answer.Outcome == Outcome.Deny && answer.Reasons.Any(r => r.Code == "conditional.confined"), ReviewChecks.Describe(answer));
    }

    // ---- 2. A PATCH is consent action "correct" only (ConsentActions.Of), so a consent that denies
    // the user *access* to rv7-c's data does not apply to it. But a PATCH's answer is the patched
    // resource (FHIR returns it by default: Prefer return=representation), i.e. everything stored in
    // it that the patch did not touch: an empty JSON Patch test operation reads rv7-c's Observation
    // back. The read of the same Observation is consent.deny.

    [Fact]
    public async Task A_patch_of_data_whose_consent_denies_access_to_the_user_is_not_permitted()
    {
        // Baseline: the read is denied by her consent.
        var read = await _decisions.CheckAsync(new CheckRequest
        {
            Token = Token("user/Observation.rus"), Interaction = Interaction.Read, ResourceType = "Observation", ResourceId = "obs-1",
            Stored = Observation("rv7-c"),
        });
        Assert.True(read.Outcome == Outcome.Deny, ReviewChecks.Describe(read));

        await ReviewChecks.AssertNotPermittedAsync(_decisions, new CheckRequest
        {
            Token = Token("user/Observation.rus"), Interaction = Interaction.Patch, ResourceType = "Observation", ResourceId = "obs-1",
            Stored = Observation("rv7-c"), Proposed = Observation("rv7-c"),
        });
    }
}
