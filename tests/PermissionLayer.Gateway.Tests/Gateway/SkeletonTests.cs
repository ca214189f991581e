using System.Net;
using PermissionLayer.Gateway.Configuration;
using PermissionLayer.Gateway.Tests.Support;

namespace PermissionLayer.Gateway.Tests.Gateway;

/// <summary>Step 1: configuration validated at start, health, capabilities passed through with the gateway's base URL.</summary>
[Collection(GatewayCollection.Name)]
public sealed class SkeletonTests(GatewayFixture fixture)
{
    [Fact]
    public void A_bad_setting_stops_the_start_naming_its_key()
    {
        var error = Assert.Throws<GatewayConfigurationException>(() => GatewayApplication.Build(
        [
            "--Gateway:Upstream:BaseUrl", "not a url",
            "--Gateway:DecisionService:Address", "http://127.0.0.1:1",
            "--Gateway:Tokens:Issuer", "http://issuer",
            "--Gateway:Search:PageSize", "0",
        ]));
        Assert.Contains(error.Problems, p => p.StartsWith("Gateway:Upstream:BaseUrl must be an absolute", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("Gateway:Tokens:Audience is required", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("Gateway:Search:PageSize must be a whole number from 1", StringComparison.Ordinal));
        Assert.Equal(3, error.Problems.Count);
    }

    [Fact]
    public async Task Health_is_ok_when_the_decision_service_and_the_upstream_answer()
    {
        using var client = fixture.Gateway.Client(null);
        var health = await client.GetAsync("healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Metadata_is_passed_through_without_a_token_with_the_gateway_base_url()
    {
        using var client = fixture.Gateway.Client(null);
        var metadata = await client.GetFhirAsync("metadata");
        Assert.Equal(HttpStatusCode.OK, metadata.Status);
        Assert.Equal("CapabilityStatement", (string?)metadata.Body!["resourceType"]);
        Assert.Equal(fixture.Gateway.BaseUrl, (string?)metadata.Body["implementation"]!["url"]);
    }

    [Fact]
    public async Task A_path_that_is_no_FHIR_interaction_is_refused_not_forwarded()
    {
        using var client = fixture.Gateway.Client(fixture.Token("user/*.rs"));
        // The upstream's own $load (test data) is an operation the decision service does not support.
        var posted = await client.SendAsync(HttpMethod.Post, "$load", new System.Text.Json.Nodes.JsonObject { ["resourceType"] = "Bundle", ["type"] = "collection" });
        Assert.Equal(HttpStatusCode.Forbidden, posted.Status);
        Assert.Equal("OperationOutcome", (string?)posted.Body!["resourceType"]);
        var unknown = await client.GetFhirAsync("NoSuchType/1");
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal("OperationOutcome", (string?)unknown.Body!["resourceType"]);
    }

    [Fact]
    public async Task The_smart_configuration_is_passed_through_with_the_gateway_base_url()
    {
        using var client = fixture.Gateway.Client(null);
        var answer = await client.GetFhirAsync(".well-known/smart-configuration");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(fixture.Issuer.Issuer + "/jwks", (string?)answer.Body!["jwks_uri"]);
        Assert.Equal(fixture.Gateway.BaseUrl + "manage", (string?)answer.Body["management_endpoint"]);
    }
}
