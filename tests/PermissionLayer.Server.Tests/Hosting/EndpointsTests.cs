using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Hosting;

/// <summary>Standard health and reflection, and JSON transcoding on the HTTP/1 port.</summary>
public sealed class EndpointsTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Grpc_health_reports_serving()
    {
        var health = new Health.HealthClient(server.Host.Channel);
        var response = await health.CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Reflection_lists_the_permission_layer_services()
    {
        var reflection = new ServerReflection.ServerReflectionClient(server.Host.Channel);
        using var call = reflection.ServerReflectionInfo(cancellationToken: TestContext.Current.CancellationToken);
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" }, TestContext.Current.CancellationToken);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken));
        var names = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("permissionlayer.v1.DecisionService", names);
        Assert.Contains("permissionlayer.v1.AdminService", names);
        Assert.Contains("grpc.health.v1.Health", names);
    }

    [Fact]
    public async Task Http_health_endpoint_is_healthy()
    {
        var response = await server.Host.Http.GetStringAsync("/healthz", TestContext.Current.CancellationToken);
        Assert.Equal("Healthy", response);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/livez")]
    public async Task Probe_endpoints_answer_healthy_without_a_key(string path)
    {
        // Kubernetes probes carry no API key (deploy/kubernetes: readiness /healthz, liveness /livez).
        using var anonymous = new HttpClient { BaseAddress = server.Host.Http.BaseAddress };
        using var response = await anonymous.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Metrics_are_not_served_unless_the_setting_turns_them_on()
    {
        using var scraper = new HttpClient();
        var response = await scraper.GetAsync($"http://127.0.0.1:{server.Host.HttpPort}/metrics", TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Grant_and_check_work_as_json_over_http1()
    {
        var ct = TestContext.Current.CancellationToken;
        var grant = await server.Host.Http.PostAsJsonAsync("/v1/grants", new
        {
            grant = new { principal = "Practitioner/json-user", target = "Patient/J", actions = "rs", reason = "json test" },
        }, ct);
        grant.EnsureSuccessStatusCode();
        var client = await server.Host.Http.PostAsJsonAsync("/v1/grants", new
        {
            grant = new { principal = "Client/curl", target = "*", actions = "rs", reason = "json test client" },
        }, ct);
        client.EnsureSuccessStatusCode();

        var check = await server.Host.Http.PostAsJsonAsync("/v1/decisions:check", new
        {
            token = new { clientId = "curl", fhirUser = "Practitioner/json-user", scope = "user/Patient.rs" },
            interaction = "INTERACTION_READ",
            resourceType = "Patient",
            resourceId = "J",
            stored = new { facts = new { patients = new[] { "J" }, complete = true } },
        }, ct);
        check.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await check.Content.ReadAsStringAsync(ct));
        Assert.Equal("OUTCOME_PERMIT", body.RootElement.GetProperty("outcome").GetString());

        using var listed = JsonDocument.Parse(await server.Host.Http.GetStringAsync("/v1/grants?principal=Practitioner/json-user", ct));
        var grants = listed.RootElement.GetProperty("grants");
        Assert.Equal("Patient/J", Assert.Single(grants.EnumerateArray()).GetProperty("target").GetString());
    }
}
