using System.Net;
using System.Text.Json.Nodes;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Gateway.Tests.Support;

namespace PermissionLayer.Gateway.Tests.Gateway;

/// <summary>
/// Review 14: a permitted conditional create whose criteria match a stored resource returns that
/// resource (FHIR: If-None-Exist with one match answers 200 with the existing resource; Medplum and
/// HAPI both send its body). The gateway forwards upstream's body unchecked (WriteEnforcer.Forwarded),
/// and the service's <c>conditional.confined</c> rule only compares the patients the criteria name:
/// an Observation of p0000 performed by another patient (p0150, whom the user does not reach) matches
/// <c>subject=Patient/p0000&amp;_id=obs-perf-p0000</c>, and comes back whole, while a read of it is refused.
/// A write's answer must only carry the state that was decided (or be checked as a read).
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ReviewHoleTests14(GatewayFixture fixture)
{
    private const string User = "Practitioner/rv14-v";
    private const string App = "rv14-app";
    private static readonly string Subject = ClinicalData.Patient(0);
    private static readonly string Performer = ClinicalData.Patient(150);

    private async Task SeedAsync()
    {
        var admin = new AdminService.AdminServiceClient(fixture.Server.Channel);
        // Clearance V and every sensitivity category for user and client: a search of theirs excludes
        // no label, so only the patients could confine it (as in review 11's conditional test).
        var changes = new ApplyChangesRequest();
        foreach (var (principal, target) in new[] { (User, "Patient/" + Subject), ("Client/" + App, "*") })
        {
            var grant = new Grant { Principal = principal, Target = target, Actions = "cruds", Reason = "review 14", Clearance = "V" };
            grant.SensitivityCategories.AddRange(PermissionLayer.Core.Labels.SensitivityCategory.Codes.Order(StringComparer.Ordinal));
            changes.Changes.Add(new BatchChange { CreateGrant = new CreateGrantRequest { Grant = grant } });
        }
        try
        {
            await admin.ApplyChangesAsync(changes);
        }
        catch (Grpc.Core.RpcException)
        {
            // Already seeded by the other test of this class.
        }
    }

    private HttpClient Client() => fixture.Gateway.Client(fixture.Token("user/Observation.crs", App, User));

    [Fact]
    public async Task A_conditional_create_that_matches_another_patients_resource_does_not_return_it()
    {
        await SeedAsync();
        using var client = Client();
        var id = $"obs-perf-{Subject}";
        // Baseline: the resource is in the performer's compartment too, so a read of it is refused.
        var read = await client.GetFhirAsync($"Observation/{id}");
        Assert.NotEqual(HttpStatusCode.OK, read.Status);

        var proposed = ClinicalData.Observation("ignored", Subject, "vital-signs", ClinicalData.HeartRate, false);
        proposed.Remove("id");
        var answer = await client.SendAsync(HttpMethod.Post, "Observation", proposed,
            headers: new Dictionary<string, string> { ["If-None-Exist"] = $"subject=Patient/{Subject}&_id={id}" });
        var leaked = answer.Body is { } body && (string?)body["id"] == id
            || (answer.Body?.ToJsonString() ?? "").Contains("Patient/" + Performer, StringComparison.Ordinal);
        Assert.False(leaked, $"{answer.Status}: the conditional create returned {id}, which a read of it refuses: {answer.Body?.ToJsonString()}");
        // Review 16: nor its existence or id (status 200 with its Location): refused, as README says.
        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Null(answer.Message.Headers.Location);
    }

    [Fact]
    public async Task A_batch_conditional_create_that_matches_another_patients_resource_does_not_return_it()
    {
        await SeedAsync();
        using var client = Client();
        var id = $"obs-perf-{Subject}";
        var proposed = ClinicalData.Observation("ignored", Subject, "vital-signs", ClinicalData.HeartRate, false);
        proposed.Remove("id");
        var bundle = new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "batch",
            ["entry"] = new JsonArray(new JsonObject
            {
                ["resource"] = proposed,
                ["request"] = new JsonObject { ["method"] = "POST", ["url"] = "Observation", ["ifNoneExist"] = $"subject=Patient/{Subject}&_id={id}" },
            }),
        };
        var answer = await client.SendAsync(HttpMethod.Post, "", bundle);
        var text = answer.Body?.ToJsonString() ?? "";
        Assert.False(text.Contains("Patient/" + Performer, StringComparison.Ordinal),
            $"{answer.Status}: the batch-response carries {id}, which a read of it refuses: {text}");
    }
}
