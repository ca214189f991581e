using System.Net;
using PermissionLayer.Gateway.Tests.Support;

namespace PermissionLayer.Gateway.Tests.Gateway;

/// <summary>Step 3: read, vread and history-instance, decided on the returned resource's own JSON.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ReadTests(GatewayFixture fixture)
{
    private HttpClient Alice() => fixture.Gateway.Client(fixture.Token("user/*.rs"));

    [Fact]
    public async Task A_panel_patients_observation_is_returned_as_the_upstream_stores_it_with_its_decision_id()
    {
        using var client = Alice();
        var answer = await client.GetFhirAsync("Observation/obs-v-p0001");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var stored = await fixture.Upstream.Http.GetStringAsync("Observation/obs-v-p0001");
        Assert.Equal(stored, await answer.Message.Content.ReadAsStringAsync());
        Assert.Single(answer.DecisionIds);
    }

    [Fact]
    public async Task A_read_outside_the_panel_is_403_with_an_OperationOutcome_naming_the_reason()
    {
        using var client = Alice();
        var answer = await client.GetFhirAsync("Observation/obs-v-p0200");
        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal("OperationOutcome", (string?)answer.Body!["resourceType"]);
        Assert.DoesNotContain("p0200", answer.Body.ToJsonString());
        Assert.Single(answer.DecisionIds);
    }

    [Fact]
    public async Task A_denied_read_looks_like_a_missing_resource_when_so_configured()
    {
        await using var hiding = await GatewayHost.StartAsync(
            fixture.Upstream.BaseUrl, fixture.Server.GrpcPort, fixture.PepKey, fixture.Issuer.Issuer, "--Gateway:Reads:DeniedAsNotFound", "true");
        using var client = hiding.Client(fixture.Issuer.Issue(hiding.BaseUrl, new Dictionary<string, object>
        {
            ["scope"] = "user/*.rs", ["client_id"] = GatewayFixture.DemoApp, ["fhirUser"] = GatewayFixture.Alice,
        }));
        var denied = await client.GetFhirAsync("Observation/obs-v-p0200");
        var missing = await client.GetFhirAsync("Observation/no-such-observation");
        Assert.Equal(HttpStatusCode.NotFound, denied.Status);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal((string?)missing.Body!["resourceType"], (string?)denied.Body!["resourceType"]);
    }

    [Fact]
    public async Task Labelled_data_is_denied_without_a_grant_for_its_category()
    {
        using var client = Alice();
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetFhirAsync("Observation/obs-l-p0003")).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.GetFhirAsync("Observation/obs-l-p0004")).Status);
    }

    [Fact]
    public async Task A_patient_who_opted_out_is_not_read()
    {
        using var client = Alice();
        var answer = await client.GetFhirAsync($"Condition/cond-{GatewayFixture.OptedOut}");
        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal(HttpStatusCode.OK, (await client.GetFhirAsync("Condition/cond-p0006")).Status);
    }

    [Fact]
    public async Task Vread_and_instance_history_are_decided_on_the_versions_they_return()
    {
        using var client = Alice();
        var current = await client.GetFhirAsync("Encounter/enc-p0002");
        var version = (string)current.Body!["meta"]!["versionId"]!;
        Assert.Equal(HttpStatusCode.OK, (await client.GetFhirAsync($"Encounter/enc-p0002/_history/{version}")).Status);
        var history = await client.GetFhirAsync("Encounter/enc-p0002/_history");
        Assert.Equal(HttpStatusCode.OK, history.Status);
        Assert.Equal("history", (string?)history.Body!["type"]);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetFhirAsync("Encounter/enc-p0201/_history")).Status);
    }
}
