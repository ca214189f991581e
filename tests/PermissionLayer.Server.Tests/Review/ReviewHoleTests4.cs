using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Review;

/// <summary>
/// Adversarial review, fourth round: requests permitted where the documented semantics (README,
/// "Request contract"; CONSENT.md; DESIGN.md §1 "fail closed") say they must be denied, through paths
/// the round-3 rules did not cover. Each test asserts the fail-closed outcome (a DENY, or
/// INVALID_ARGUMENT naming the bad part); it fails while the hole is open.
/// </summary>
public sealed class ReviewHoleTests4(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    /// <summary>Reaches rv4-a only, through a plain grant (default clearance N, no sensitivity category).</summary>
    private const string User = "Practitioner/rv4-user";
    /// <summary>Reaches every patient, with the default clearance (N, no sensitivity category).</summary>
    private const string AllPatientsUser = "Practitioner/rv4-all";

    private const string Snomed = "http://snomed.info/sct";
    private const string HivDisease = "86406008";
    private const string ActCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    private readonly AdminService.AdminServiceClient _admin = new(server.Host.Channel);
    private readonly DecisionService.DecisionServiceClient _decisions = new(server.Host.Channel);

    public async ValueTask InitializeAsync()
    {
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        await _admin.CreateGrantAsync(Requests.Grant(User, "Patient/rv4-a", "rs"));
        await _admin.CreateGrantAsync(Requests.Grant(AllPatientsUser, "*", "rs"));
        // rv4-nocond permits everything but her Conditions.
        await _admin.PutConsentAsync(ReviewChecks.Consent("rv4-nocond", "rv4-nocond", "OPTIN", """{"type":"deny","class":[{"system":"http://hl7.org/fhir/resource-types","code":"Condition"}]}"""));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static TokenContext Token(string scope, string user) =>
        new() { ClientId = Requests.TrustedClient, FhirUser = user, Scope = scope };

    private static CheckRequest Search(string type, string query, TokenContext token) => new()
    {
        Token = token, Interaction = Interaction.SearchType, ResourceType = type, Query = query,
    };

    // ---- 1. Chained search parameters select by another type's data, exactly as _has does (round 3
    // denies _has as search.reverse-chain). The outer type is checked; the type the chain reads is not:
    // not by the scope term, not by the consent's class, not by the label term.

    /// <summary>Searches of rv4-nocond's Encounters that select them by her Conditions (which her consent withholds).</summary>
    public static TheoryData<string> EncountersSelectedByConditions => new()
    {
        // Forward chain with a type modifier: Encounters whose diagnosis is an HIV Condition.
        $"patient=rv4-nocond&diagnosis:Condition.code={Snomed}|{HivDisease}",
        // Forward chain without a modifier (reason-reference targets Condition, Procedure, Observation, …).
        $"patient=rv4-nocond&reason-reference.code={Snomed}|{HivDisease}",
        // The same chain through _filter, which takes paths into other resources.
        $"patient=rv4-nocond&_filter=diagnosis.code eq {HivDisease}",
    };

    [Theory]
    [MemberData(nameof(EncountersSelectedByConditions))]
    public async Task A_chained_search_parameter_does_not_skip_a_consent_that_withholds_the_chained_type(string query)
    {
        var token = Token("user/Encounter.rs user/Condition.rs", AllPatientsUser);
        // Baseline: her Conditions are withheld.
        await ReviewChecks.AssertNotPermittedAsync(_decisions, Search("Condition", $"patient=rv4-nocond&code={Snomed}|{HivDisease}", token));

        // Whether an Encounter comes back tells whether she has an HIV Condition: data her consent withholds.
        await ReviewChecks.AssertNotPermittedAsync(_decisions, Search("Encounter", query, token));
    }

    [Fact]
    public async Task A_chained_search_parameter_does_not_read_a_type_the_scopes_do_not_grant()
    {
        // The token may read Observations only; chaining into the Patient selects by her name and
        // birth date, which no scope of the token lets the app read (the scope term checks Observation only).
        var token = Token("user/Observation.rs", AllPatientsUser);
        await ReviewChecks.AssertNotPermittedAsync(_decisions, Search("Observation", "subject:Patient.name=Smith&subject:Patient.birthdate=1970-01-01", token));
    }

    [Fact]
    public async Task A_chained_search_parameter_does_not_select_by_labels_the_user_is_not_cleared_for()
    {
        // The obligation excludes HIV-labelled Encounters; which Encounters have an HIV-labelled
        // Condition is what the search returns, to a user with no HIV clearance.
        var token = Token("user/Encounter.rs user/Condition.rs", User);
        await ReviewChecks.AssertNotPermittedAsync(_decisions, Search("Encounter", $"patient=rv4-a&diagnosis:Condition._security={ActCode}|HIV", token));
    }

    // ---- 2. HISTORY_INSTANCE returns every version of the resource, but is decided on the one state in
    // `stored` (the contract table lists it with READ). An earlier version about another patient, or
    // carrying a label or code the current one does not, is returned unchecked, and no obligation
    // tells the FHIR server to leave it out.

    [Fact]
    public async Task An_instance_history_is_not_permitted_on_the_current_version_alone()
    {
        var token = Token("user/Observation.rs", User);
        var history = new CheckRequest
        {
            Token = token, Interaction = Interaction.HistoryInstance, ResourceType = "Observation", ResourceId = "rv4-o1",
            // The current version: rv4-a's, unlabelled. Version 1 may have been rv4-b's, or labelled R or HIV.
            Stored = new ResourceState { Facts = new ResourceFacts { Complete = true, Patients = { "rv4-a" }, Reference = "Observation/rv4-o1" } },
        };
        CheckResponse response;
        try
        {
            response = await _decisions.CheckAsync(history);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument)
        {
            return; // fail closed: the contract could ask for every version
        }
        // Fail closed: a DENY, or a PERMIT whose obligation confines the versions returned to the
        // patients checked and to the labels the user is cleared for (as a search's does).
        Assert.True(response.Outcome == Outcome.Deny
            || (response.Obligation is { } o && o.ExcludedSecurityLabels.Count > 0 && !o.Patients.AllPatients
                && o.Patients.PatientIds.SequenceEqual(["rv4-a"])),
            ReviewChecks.Describe(response));
    }
}
