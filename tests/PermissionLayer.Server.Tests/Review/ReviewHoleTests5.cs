using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Review;

/// <summary>
/// Adversarial review, fifth round: requests permitted where the documented semantics (README,
/// "Request contract" and "Limits"; DESIGN.md §1 "fail closed") say they must be denied, through paths
/// the round-4 rules did not cover. Each test asserts the fail-closed outcome (a DENY, or
/// INVALID_ARGUMENT naming the bad part); it fails while the hole is open.
/// </summary>
public sealed class ReviewHoleTests5(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    /// <summary>Reaches rv5-a only, through a plain grant.</summary>
    private const string User = "Practitioner/rv5-user";
    /// <summary>Reaches every patient, with the default clearance.</summary>
    private const string AllPatientsUser = "Practitioner/rv5-all";

    private const string Snomed = "http://snomed.info/sct";
    private const string HivDisease = "86406008";

    private readonly AdminService.AdminServiceClient _admin = new(server.Host.Channel);
    private readonly DecisionService.DecisionServiceClient _decisions = new(server.Host.Channel);

    public async ValueTask InitializeAsync()
    {
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        await _admin.CreateGrantAsync(Requests.Grant(User, "Patient/rv5-a", "rs"));
        await _admin.CreateGrantAsync(Requests.Grant(AllPatientsUser, "*", "rs"));
        // rv5-nocond permits everything but her Conditions.
        await _admin.PutConsentAsync(ReviewChecks.Consent("rv5-nocond", "rv5-nocond", "OPTIN", """{"type":"deny","class":[{"system":"http://hl7.org/fhir/resource-types","code":"Condition"}]}"""));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static TokenContext Token(string scope, string user) =>
        new() { ClientId = Requests.TrustedClient, FhirUser = user, Scope = scope };

    private static CheckRequest Search(Interaction interaction, string type, string query, TokenContext token) => new()
    {
        Token = token, Interaction = interaction, ResourceType = type, Query = query,
    };

    private static CheckRequest Operation(string operation, string type, string? id, string query, TokenContext token)
    {
        var request = new CheckRequest { Token = token, Interaction = Interaction.Operation, Operation = operation, ResourceType = type, Query = query };
        if (id is not null)
        {
            request.ResourceId = id;
        }
        return request;
    }

    // ---- 1. Operations drop the PEP's query: OperationMeaning replaces it with "patient=<id>" or
    // nothing, so the round-3/4 rule that denies parameters selecting by another resource's data
    // (search.reverse-chain) never sees them. Bulk Data's _typeFilter carries whole FHIR queries
    // (with chains and _has); $everything accepts search parameters on many servers.

    public static TheoryData<string, string?, string> OperationsWithUncheckedSelections => new()
    {
        // Bulk export of every patient, filtered to Patients that have an HIV Condition.
        { "Patient", null, $"_typeFilter=Patient%3F_has%3ACondition%3Apatient%3Acode%3D{Snomed}%7C{HivDisease}" },
        // Bulk export of Encounters selected by their (withheld) Conditions.
        { "*", null, $"_typeFilter=Encounter%3Fdiagnosis%3ACondition.code%3D{Snomed}%7C{HivDisease}" },
        // $everything of one patient (no consent on record) with _has / _filter in the query.
        { "Patient", "rv5-a", $"_has:Condition:patient:code={Snomed}|{HivDisease}" },
        { "Patient", "rv5-a", $"_filter=diagnosis.code eq {HivDisease}" },
    };

    [Theory]
    [MemberData(nameof(OperationsWithUncheckedSelections))]
    public async Task An_operation_query_that_selects_by_another_resources_data_is_not_permitted(string type, string? id, string query)
    {
        var token = Token("user/Encounter.rs user/Patient.rs user/Observation.rs", AllPatientsUser);
        // Baseline: the same selection as a plain search is denied (search.reverse-chain).
        await ReviewChecks.AssertNotPermittedAsync(_decisions, Search(Interaction.SearchSystem, "*", $"patient=rv5-nocond&_has:Condition:patient:code={Snomed}|{HivDisease}", token));

        var operation = id is null && type == "*" ? "$export" : id is null ? "$export" : "$everything";
        await ReviewChecks.AssertNotPermittedAsync(_decisions, Operation(operation, type, id, query, token));
    }

    // ---- 2. _list selects by a List's entries: whether a resource comes back tells whether it is on a
    // List the token may not read (List is in the Patient compartment; a problem list, a panel list).
    // The same class as _has and chains (README Limits: "searches that select by another resource's data").

    [Fact]
    public async Task A_search_by_list_membership_is_not_permitted_without_the_list()
    {
        var token = Token("user/Condition.rs", User);
        // The token cannot read Lists at all.
        await ReviewChecks.AssertNotPermittedAsync(_decisions, new CheckRequest
        {
            Token = token, Interaction = Interaction.Read, ResourceType = "List", ResourceId = "rv5-l1",
            Stored = new ResourceState { Facts = new ResourceFacts { Complete = true, Patients = { "rv5-a" }, Reference = "List/rv5-l1" } },
        });
        // Which of rv5-a's Conditions are on List rv5-l1 (e.g. a "sensitive problems" list) is List data.
        await ReviewChecks.AssertNotPermittedAsync(_decisions, Search(Interaction.SearchType, "Condition", "patient=rv5-a&_list=rv5-l1", token));
    }
}
