using System.Net;
using System.Text.Json.Nodes;
using PermissionLayer.Gateway.Tests.Support;

namespace PermissionLayer.Gateway.Tests.Gateway;

/// <summary>Step 5: batch and transaction Bundles, one CheckBatch; a transaction with a denied entry is refused whole.</summary>
[Collection(GatewayCollection.Name)]
public sealed class BundleTests(GatewayFixture fixture)
{
    private HttpClient Alice() => fixture.Gateway.Client(fixture.Token("user/*.cruds"));

    private static JsonObject Put(JsonObject resource) => new()
    {
        ["resource"] = resource,
        ["request"] = new JsonObject { ["method"] = "PUT", ["url"] = $"{resource["resourceType"]}/{resource["id"]}" },
    };

    private static JsonObject Bundle(string type, params JsonObject[] entries) =>
        new() { ["resourceType"] = "Bundle", ["type"] = type, ["entry"] = new JsonArray(entries) };

    [Fact]
    public async Task A_transaction_with_one_denied_entry_is_refused_whole()
    {
        using var client = Alice();
        var inside = $"tx-in-{Guid.NewGuid():N}"[..30];
        var outside = $"tx-out-{Guid.NewGuid():N}"[..30];
        var answer = await client.SendAsync(HttpMethod.Post, "", Bundle("transaction",
            Put(ClinicalData.Observation(inside, "p0012", "vital-signs", ClinicalData.HeartRate, false)),
            Put(ClinicalData.Observation(outside, "p0212", "vital-signs", ClinicalData.HeartRate, false))));
        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Contains("entry 1", answer.IssueText);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Upstream.Http.GetAsync($"Observation/{inside}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Upstream.Http.GetAsync($"Observation/{outside}")).StatusCode);
        Assert.Equal(2, answer.DecisionIds.Count);

        var allowed = await client.SendAsync(HttpMethod.Post, "", Bundle("transaction",
            Put(ClinicalData.Observation(inside, "p0012", "vital-signs", ClinicalData.HeartRate, false))));
        Assert.Equal(HttpStatusCode.OK, allowed.Status);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Upstream.Http.GetAsync($"Observation/{inside}")).StatusCode);
    }

    [Fact]
    public async Task A_batch_answers_each_entry()
    {
        using var client = Alice();
        var inside = $"b-in-{Guid.NewGuid():N}"[..30];
        var outside = $"b-out-{Guid.NewGuid():N}"[..30];
        var answer = await client.SendAsync(HttpMethod.Post, "", Bundle("batch",
            Put(ClinicalData.Observation(outside, "p0213", "vital-signs", ClinicalData.HeartRate, false)),
            Put(ClinicalData.Observation(inside, "p0013", "vital-signs", ClinicalData.HeartRate, false)),
            new JsonObject { ["request"] = new JsonObject { ["method"] = "GET", ["url"] = "Observation/obs-v-p0013" } }));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var statuses = (answer.Body!["entry"] as JsonArray)!.Select(e => (string)e!["response"]!["status"]!).ToList();
        Assert.StartsWith("403", statuses[0]);
        Assert.StartsWith("20", statuses[1]);
        Assert.StartsWith("501", statuses[2]);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Upstream.Http.GetAsync($"Observation/{outside}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Upstream.Http.GetAsync($"Observation/{inside}")).StatusCode);
    }
}
