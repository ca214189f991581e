using System.Net;
using System.Net.Sockets;
using PermissionLayer.Gateway.Tests.Support;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Gateway.Tests.Gateway;

/// <summary>Fail closed: an upstream or a decision service that cannot answer gives 503, never data.</summary>
[Collection(GatewayCollection.Name)]
public sealed class FailClosedTests(GatewayFixture fixture)
{
    private static Dictionary<string, object> Claims() => new()
    {
        ["scope"] = "user/*.rs", ["client_id"] = GatewayFixture.DemoApp, ["fhirUser"] = GatewayFixture.Alice,
    };

    [Fact]
    public async Task An_upstream_that_is_down_gives_503()
    {
        var dead = $"http://127.0.0.1:{FreePorts.Next()}/";
        await using var gateway = await GatewayHost.StartAsync(dead, fixture.Server.GrpcPort, fixture.PepKey, fixture.Issuer.Issuer);
        using var client = gateway.Client(fixture.Issuer.Issue(gateway.BaseUrl, Claims()));
        foreach (var url in new[] { "Observation/obs-v-p0001", "Observation?_count=5", "metadata" })
        {
            var answer = await client.GetFhirAsync(url);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Status);
            Assert.Equal("OperationOutcome", (string?)answer.Body!["resourceType"]);
        }
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("healthz")).StatusCode);
    }

    [Fact]
    public async Task A_decision_service_that_is_down_gives_503_and_no_data()
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var gateway = await GatewayHost.StartAsync(fixture.Upstream.BaseUrl, port, fixture.PepKey, fixture.Issuer.Issuer,
            "--Gateway:DecisionService:DeadlineSeconds", "2");
        using var client = gateway.Client(fixture.Issuer.Issue(gateway.BaseUrl, Claims()));
        var answer = await client.GetFhirAsync("Observation/obs-v-p0001");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Status);
        Assert.DoesNotContain("obs-v-p0001", answer.Body!.ToJsonString());
    }
}
