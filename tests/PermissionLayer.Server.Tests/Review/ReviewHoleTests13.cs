using Grpc.Core;
using PermissionLayer.Client.Obligations;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Core.Obligations;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Review;

/// <summary>
/// Adversarial review, thirteenth round: the search result rule. For each case a permitted search's
/// obligation is applied by the client library (<see cref="SearchResultAdmission.Admit"/>) to a result;
/// when it ADMITS the result, a Check of a READ of that result by the same token, with the same facts,
/// must permit (README: "a PEP that does so never returns a result that a read of it by the same token
/// would deny"). A case whose admission is Deny or NeedsCheck passes trivially.
/// </summary>
public sealed class ReviewHoleTests13(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private const string User = "Practitioner/rv13-user";
    private const string Granted = "rv13-a";
    private const string Other = "rv13-b";

    private readonly AdminService.AdminServiceClient _admin = new(server.Host.Channel);
    private readonly DecisionService.DecisionServiceClient _decisions = new(server.Host.Channel);

    public async ValueTask InitializeAsync()
    {
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        await _admin.CreateGrantAsync(Requests.Grant(User, $"Patient/{Granted}"));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>(case, scope, launch patient, search type, search query, result type, result id, facts).</summary>
    public static TheoryData<string> Cases =>
    [
        "patient-result-of-another-id",
        "patient-result-of-another-id-system-search",
        "task-of-another-patient",
        "bundle-of-another-patient",
        "observation-two-patients",
        "observation-label-no-code",
        "observation-label-bare-R",
        "observation-label-oid-R",
        "patient-launch-shared-type-other-patient",
    ];

    private static (string Scope, string Launch, string SearchType, string Query, string ResultType, string ResultId, ResourceFacts Facts) Case(string name)
    {
        ResourceFacts Facts(string? reference, params string[] patients)
        {
            var facts = new ResourceFacts { Complete = true, Reference = reference ?? "" };
            facts.Patients.AddRange(patients);
            return facts;
        }
        ResourceFacts Labelled(string label)
        {
            var facts = Facts("Observation/rv13-o1", Granted);
            facts.Security.Add(label);
            return facts;
        }
        return name switch
        {
            // A Patient result whose own id is another patient's, its facts naming the granted one.
            "patient-result-of-another-id" => ("user/Patient.rs", "", "Patient", "", "Patient", Other, Facts($"Patient/{Other}", Granted)),
            "patient-result-of-another-id-system-search" => ("user/*.rs", "", "*", "", "Patient", Other, Facts($"Patient/{Other}", Granted)),
            "task-of-another-patient" => ("user/Task.rs", "", "Task", "", "Task", "rv13-t1", Facts("Task/rv13-t1", Other)),
            "bundle-of-another-patient" => ("user/Bundle.rs", "", "Bundle", "", "Bundle", "rv13-bu1", WithCarried(Facts("Bundle/rv13-bu1", Other), "Observation")),
            "observation-two-patients" => ("user/Observation.rs", "", "Observation", "", "Observation", "rv13-o1", Facts("Observation/rv13-o1", Granted, Other)),
            "observation-label-no-code" => ("user/Observation.rs", "", "Observation", "", "Observation", "rv13-o1", Labelled("http://terminology.hl7.org/CodeSystem/v3-Confidentiality|")),
            "observation-label-bare-R" => ("user/Observation.rs", "", "Observation", "", "Observation", "rv13-o1", Labelled("R")),
            "observation-label-oid-R" => ("user/Observation.rs", "", "Observation", "", "Observation", "rv13-o1", Labelled("urn:oid:2.16.840.1.113883.5.25|R")),
            "patient-launch-shared-type-other-patient" => ("patient/*.rs", Granted, "Medication", "", "Medication", "rv13-m1", Facts("Medication/rv13-m1", Other)),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }

    private static ResourceFacts WithCarried(ResourceFacts facts, string type)
    {
        facts.CarriedTypes.Add(type);
        return facts;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_result_the_client_library_admits_is_one_a_read_by_the_same_token_permits(string name)
    {
        var (scope, launch, searchType, query, resultType, resultId, facts) = Case(name);
        var token = new TokenContext { ClientId = Requests.TrustedClient, FhirUser = User, Scope = scope, LaunchPatient = launch };
        var search = await _decisions.CheckAsync(new CheckRequest
        {
            Token = token,
            Interaction = searchType == "*" ? Interaction.SearchSystem : Interaction.SearchType,
            ResourceType = searchType,
            Query = query,
        });
        if (search.Outcome != Outcome.Permit || search.Obligation is null)
        {
            return; // nothing admitted
        }
        var admission = SearchResultAdmission.Admit(search.Obligation, resultType, facts);
        if (admission.Outcome != AdmissionOutcome.Admit)
        {
            return;
        }
        var read = new CheckRequest
        {
            Token = token,
            Interaction = Interaction.Read,
            ResourceType = resultType,
            ResourceId = resultId,
            Stored = new ResourceState { Facts = facts },
        };
        CheckResponse answer;
        try
        {
            answer = await _decisions.CheckAsync(read);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument)
        {
            Assert.Fail($"{name}: the obligation admits the result, but a read of it is INVALID_ARGUMENT: {e.Status.Detail}; search: {ReviewChecks.Describe(search)}");
            return;
        }
        Assert.True(answer.Outcome == Outcome.Permit,
            $"{name}: the obligation admits the result, but a read of it by the same token: {ReviewChecks.Describe(answer)}; search: {ReviewChecks.Describe(search)}");
    }
}
