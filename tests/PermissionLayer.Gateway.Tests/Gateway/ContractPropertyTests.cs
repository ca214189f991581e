using System.Net;
using CsCheck;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Gateway.Tests.Support;

namespace PermissionLayer.Gateway.Tests.Gateway;

/// <summary>
/// The gateway's contract as a property over random requests: for every resource it returns, a
/// direct Check of a read of exactly that resource, with the same token, permits. Bounded: a few
/// dozen requests per run (CsCheck prints the seed of a failure; replay it with its Seed).
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ContractPropertyTests(GatewayFixture fixture)
{
    private sealed record Caller(string Name, TokenContext Context, Dictionary<string, object> Claims);

    private static readonly Caller[] Callers =
    [
        Make("alice", "user/*.rs", GatewayFixture.DemoApp, GatewayFixture.Alice),
        Make("group-app", $"system/Observation.rs?code={ClinicalData.Loinc}|{ClinicalData.HeartRate} system/Patient.rs", GatewayFixture.GroupApp, null),
        Make("patient", "patient/*.rs", GatewayFixture.DemoApp, "Patient/p0001", patient: "p0001"),
        Make("alice-in-group", "user/Observation.rs user/Patient.rs", GatewayFixture.DemoApp, GatewayFixture.Alice, group: "Group/g9245"),
    ];

    private static Caller Make(string name, string scope, string client, string? user, string? patient = null, string? group = null)
    {
        var context = new TokenContext { ClientId = client, Scope = scope, FhirUser = user ?? "", LaunchPatient = patient ?? "" };
        var claims = new Dictionary<string, object> { ["scope"] = scope, ["client_id"] = client };
        if (user is not null)
        {
            claims["fhirUser"] = user;
        }
        if (patient is not null)
        {
            claims["patient"] = patient;
        }
        if (group is not null)
        {
            context.FhirContext.Add(group);
            claims["fhirContext"] = new[] { new Dictionary<string, object> { ["reference"] = group } };
        }
        return new Caller(name, context, claims);
    }

    private static readonly Gen<string> Query =
        Gen.Select(
            Gen.OneOfConst([.. ClinicalData.Types.Select(t => t.Type), "Patient"]),
            Gen.Int[1, 12],
            Gen.Int[0, ClinicalData.PatientCount - 1].Array[0, 4],
            Gen.Bool,
            Gen.Bool)
        .Select((type, count, patients, code, include) =>
        {
            var parts = new List<string> { $"_count={count}" };
            if (patients.Length > 0)
            {
                var parameter = type == "Patient" ? "_id" : type is "AllergyIntolerance" or "Immunization" or "Encounter" or "Condition" ? "patient" : "subject";
                parts.Add($"{parameter}=" + string.Join(",", patients.Distinct().Select(p => (type == "Patient" ? "" : "Patient/") + ClinicalData.Patient(p))));
            }
            if (code && type == "Observation")
            {
                parts.Add($"code={ClinicalData.Loinc}|{ClinicalData.HeartRate}");
            }
            if (include && type == "Observation")
            {
                parts.Add("_include=Observation:has-member");
            }
            return $"{type}?{string.Join('&', parts)}";
        });

    [Fact]
    public async Task Every_resource_the_gateway_returns_is_permitted_by_a_direct_check()
    {
        var decisions = new DecisionService.DecisionServiceClient(fixture.Server.ChannelWith(fixture.PepKey));
        var returned = 0;
        await Gen.Select(Gen.Int[0, Callers.Length - 1], Query).SampleAsync(async (callerIndex, query) =>
        {
            var caller = Callers[callerIndex];
            using var client = fixture.Gateway.Client(fixture.Issuer.Issue(fixture.Gateway.BaseUrl, caller.Claims));
            string? next = query;
            for (var page = 0; next is not null && page < 3; page++)
            {
                var answer = await client.GetFhirAsync(next);
                if (answer.Status != HttpStatusCode.OK)
                {
                    Assert.True(answer.Status is HttpStatusCode.Forbidden or HttpStatusCode.BadRequest, $"{caller.Name} {next}: {answer.Status} {answer.IssueText}");
                    Assert.DoesNotContain(answer.Resources, r => (string?)r["resourceType"] != "OperationOutcome");
                    return;
                }
                // Checked directly (not through the gateway), all of a page in one CheckBatch: each entry is its own Check.
                var batch = new CheckBatchRequest();
                batch.Entries.AddRange(answer.Resources.Select(resource => new CheckRequest
                {
                    Token = caller.Context,
                    Interaction = Interaction.Read,
                    ResourceType = (string)resource["resourceType"]!,
                    ResourceId = (string)resource["id"]!,
                    Stored = new ResourceState { FhirJson = resource.ToJsonString() },
                }));
                if (batch.Entries.Count > 0)
                {
                    var results = (await decisions.CheckBatchAsync(batch)).Results;
                    for (var i = 0; i < results.Count; i++)
                    {
                        var entry = batch.Entries[i];
                        var decision = results[i].Decision;
                        Assert.True(decision is { Outcome: Outcome.Permit },
                            $"{caller.Name} {next}: returned {entry.ResourceType}/{entry.ResourceId}, which a direct Check does not permit ({results[i]})");
                    }
                    Interlocked.Add(ref returned, results.Count);
                }
                next = answer.NextLink;
            }
        }, iter: 40, threads: 1);
        Assert.True(returned > 0, "no request returned anything: the property checked nothing");
    }
}
