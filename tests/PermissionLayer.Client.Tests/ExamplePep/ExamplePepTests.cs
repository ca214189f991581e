using System.Net;
using System.Text.Json.Nodes;
using PermissionLayer.Client.Tests.Support;
using PermissionLayer.Contracts.V1;
using PermissionLayer.ExamplePep.Authorization;
using PermissionLayer.ExamplePep.Fhir;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Client.Tests.ExamplePep;

/// <summary>
/// The example FHIR server end to end: real HTTP in, real gRPC to a real PermissionLayer (silo,
/// PostgreSQL) behind it. Practitioner/dr-a is entitled to Patient/p1 only.
/// </summary>
public sealed class ExamplePepTests(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private const string App = "example-pep-app";
    private ExamplePepHost? _pep;

    private HttpClient Fhir => _pep!.Http;

    public async ValueTask InitializeAsync()
    {
        var admin = new AdminService.AdminServiceClient(server.Host.Channel);
        await admin.CreateGrantAsync(Requests.TrustClient(App));
        await admin.CreateGrantAsync(Requests.Grant("Practitioner/dr-a", "Patient/p1"));
        _pep = await ExamplePepHost.StartAsync(new Uri($"http://127.0.0.1:{server.Host.GrpcPort}"), server.Host.SuperKey);
    }

    public async ValueTask DisposeAsync()
    {
        if (_pep is not null)
        {
            await _pep.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("Patient/p1")]
    [InlineData("Observation/o1")]
    [InlineData("AllergyIntolerance/a1")]
    public async Task Permitted_read_returns_the_resource(string reference)
    {
        using var response = await Fhir.SendAsync(Read(reference, App, "Practitioner/dr-a"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(FhirJson.ContentType, response.Content.Headers.ContentType?.MediaType);
        var resource = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(reference, $"{resource["resourceType"]}/{resource["id"]}");
        Assert.True(Guid.TryParse(response.Headers.GetValues("X-Decision-Id").Single(), out _));
    }

    [Theory]
    [InlineData("Patient/p2")]
    [InlineData("Observation/o2")]
    // Linked to its patient through AllergyIntolerance.patient, not subject: read as no patient's data before.
    [InlineData("AllergyIntolerance/a2")]
    public async Task Unentitled_read_is_forbidden_with_the_deciding_reason(string reference)
    {
        using var response = await Fhir.SendAsync(Read(reference, App, "Practitioner/dr-a"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var issue = await SingleIssue(response);
        Assert.Equal("forbidden", (string?)issue["code"]);
        Assert.Equal("user.no-grant", (string?)issue["details"]!["coding"]![0]!["code"]);
        Assert.Contains("no grant of yours reaches every patient this data concerns", (string?)issue["diagnostics"]);
        Assert.DoesNotContain("Patient/p2", (string?)issue["diagnostics"]); // the deny names no patient the data concerns
    }

    [Fact]
    public async Task Unregistered_app_is_forbidden_by_the_client_term_even_for_an_entitled_user()
    {
        using var response = await Fhir.SendAsync(Read("Patient/p1", "unregistered-app", "Practitioner/dr-a"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var issue = await SingleIssue(response);
        Assert.StartsWith("client.", (string?)issue["details"]!["coding"]![0]!["code"]);
    }

    [Fact]
    public async Task Request_without_a_token_is_unauthorized()
    {
        using var response = await Fhir.GetAsync("/Patient/p1");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task PermissionLayer_down_means_503_never_the_resource()
    {
        await using var orphan = await ExamplePepHost.StartAsync(DeadAddress.Next());

        using var response = await orphan.Http.SendAsync(Read("Patient/p1", App, "Practitioner/dr-a"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        var issue = await SingleIssue(response);
        Assert.Equal("transient", (string?)issue["code"]);
        Assert.DoesNotContain("Peter", await response.Content.ReadAsStringAsync());
    }

    private static HttpRequestMessage Read(string reference, string clientId, string fhirUser) => new(HttpMethod.Get, "/" + reference)
    {
        Headers =
        {
            { TokenHeaders.ClientId, clientId },
            { TokenHeaders.FhirUser, fhirUser },
            { TokenHeaders.Scope, "user/Patient.rs user/Observation.rs user/AllergyIntolerance.rs" },
        },
    };

    private static async Task<JsonNode> SingleIssue(HttpResponseMessage response)
    {
        var outcome = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("OperationOutcome", (string?)outcome["resourceType"]);
        return Assert.Single(outcome["issue"]!.AsArray())!;
    }
}
