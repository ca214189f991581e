using System.Net;
using System.Text.Json.Nodes;
using PermissionLayer.Gateway.Tests.Support;

namespace PermissionLayer.Gateway.Tests.Gateway;

/// <summary>Step 5: writes inside and outside the compartment, decided on the proposed and the stored state.</summary>
[Collection(GatewayCollection.Name)]
public sealed class WriteTests(GatewayFixture fixture)
{
    private HttpClient Alice() => fixture.Gateway.Client(fixture.Token("user/*.cruds"));

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    private async Task<HttpStatusCode> UpstreamStatus(string path) => (await fixture.Upstream.Http.GetAsync(path)).StatusCode;

    [Fact]
    public async Task A_create_inside_the_panel_is_stored_and_one_outside_is_refused_before_upstream()
    {
        using var client = Alice();
        var inside = await client.SendAsync(HttpMethod.Post, "Observation", ClinicalData.Observation("ignored", "p0007", "vital-signs", ClinicalData.HeartRate, false));
        Assert.Equal(HttpStatusCode.Created, inside.Status);
        var id = (string)inside.Body!["id"]!;
        Assert.Equal(HttpStatusCode.OK, await UpstreamStatus($"Observation/{id}"));
        // The write's decision, and the read of the resource upstream answered with (it leaves only if permitted).
        Assert.Equal(2, inside.DecisionIds.Count);

        var marker = NewId("outside");
        var outsideBody = ClinicalData.Observation("ignored", "p0207", "vital-signs", ClinicalData.HeartRate, false);
        outsideBody["identifier"] = new JsonArray(new JsonObject { ["system"] = "urn:test", ["value"] = marker });
        var outside = await client.SendAsync(HttpMethod.Post, "Observation", outsideBody);
        Assert.Equal(HttpStatusCode.Forbidden, outside.Status);
        var stored = await fixture.Upstream.Http.GetFhirAsync($"Observation?identifier=urn:test|{marker}");
        Assert.Empty(stored.Resources);
    }

    [Fact]
    public async Task An_update_is_decided_on_the_stored_and_the_proposed_state()
    {
        using var client = Alice();
        var id = NewId("upd");
        // Update as create inside the panel.
        var created = await client.SendAsync(HttpMethod.Put, $"Observation/{id}", ClinicalData.Observation(id, "p0008", "vital-signs", ClinicalData.HeartRate, false));
        Assert.True(created.Status is HttpStatusCode.Created or HttpStatusCode.OK, created.Status.ToString());
        // Moving it to a patient outside the panel: the proposed state is denied.
        var moved = await client.SendAsync(HttpMethod.Put, $"Observation/{id}", ClinicalData.Observation(id, "p0208", "vital-signs", ClinicalData.HeartRate, false));
        Assert.Equal(HttpStatusCode.Forbidden, moved.Status);
        var stored = await fixture.Upstream.Http.GetFhirAsync($"Observation/{id}");
        Assert.Equal("Patient/p0008", (string?)stored.Body!["subject"]!["reference"]);
        // A resource stored outside the panel cannot be pulled into it either: the stored state is denied.
        var pulled = await client.SendAsync(HttpMethod.Put, "Observation/obs-v-p0209", ClinicalData.Observation("obs-v-p0209", "p0009", "vital-signs", ClinicalData.HeartRate, false));
        Assert.Equal(HttpStatusCode.Forbidden, pulled.Status);
        // One decision covers both states; a second decides the answered resource as a read.
        var changed = await client.SendAsync(HttpMethod.Put, $"Observation/{id}", ClinicalData.Observation(id, "p0008", "vital-signs", ClinicalData.Glucose, false));
        Assert.Equal(HttpStatusCode.OK, changed.Status);
        Assert.Equal(2, changed.DecisionIds.Count);
        Assert.NotNull(changed.Body);
    }

    [Fact]
    public async Task A_JSON_patch_is_decided_on_the_state_it_would_produce()
    {
        using var client = Alice();
        var id = NewId("patch");
        var created = await client.SendAsync(HttpMethod.Put, $"Observation/{id}", ClinicalData.Observation(id, "p0010", "vital-signs", ClinicalData.HeartRate, false));
        Assert.True(created.Status is HttpStatusCode.Created or HttpStatusCode.OK, created.Status.ToString());
        var amend = new JsonArray(new JsonObject { ["op"] = "replace", ["path"] = "/status", ["value"] = "amended" });
        var patched = await client.SendAsync(HttpMethod.Patch, $"Observation/{id}", amend, "application/json-patch+json");
        Assert.Equal(HttpStatusCode.OK, patched.Status);
        Assert.Equal("amended", (string?)(await fixture.Upstream.Http.GetFhirAsync($"Observation/{id}")).Body!["status"]);
        var move = new JsonArray(new JsonObject { ["op"] = "replace", ["path"] = "/subject/reference", ["value"] = "Patient/p0210" });
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(HttpMethod.Patch, $"Observation/{id}", move, "application/json-patch+json")).Status);
        Assert.Equal("Patient/p0010", (string?)(await fixture.Upstream.Http.GetFhirAsync($"Observation/{id}")).Body!["subject"]!["reference"]);
    }

    [Fact]
    public async Task A_delete_outside_the_panel_is_refused_and_inside_it_goes_through()
    {
        using var client = Alice();
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(HttpMethod.Delete, "Immunization/imm-p0211")).Status);
        Assert.Equal(HttpStatusCode.OK, await UpstreamStatus("Immunization/imm-p0211"));
        var id = NewId("del");
        await client.SendAsync(HttpMethod.Put, $"Immunization/{id}", new JsonObject
        {
            ["resourceType"] = "Immunization", ["id"] = id, ["status"] = "completed",
            ["vaccineCode"] = new JsonObject { ["text"] = "flu" }, ["patient"] = ClinicalData.Reference("p0011"), ["occurrenceDateTime"] = "2025-10-01",
        });
        var deleted = await client.SendAsync(HttpMethod.Delete, $"Immunization/{id}");
        Assert.True(deleted.Status is HttpStatusCode.OK or HttpStatusCode.NoContent, deleted.Status.ToString());
        Assert.NotEqual(HttpStatusCode.OK, await UpstreamStatus($"Immunization/{id}"));
    }

    [Fact]
    public async Task A_read_only_token_cannot_write()
    {
        using var client = fixture.Gateway.Client(fixture.Token("user/*.rs"));
        var answer = await client.SendAsync(HttpMethod.Post, "Observation", ClinicalData.Observation("x", "p0007", "vital-signs", ClinicalData.HeartRate, false));
        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
    }
}
