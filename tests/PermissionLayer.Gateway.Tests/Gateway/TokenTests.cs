using System.Net;
using PermissionLayer.Gateway.Tests.Support;

namespace PermissionLayer.Gateway.Tests.Gateway;

/// <summary>Step 2: JWT validation against the issuer's JWKS (discovered), and the claims mapped to the token context.</summary>
[Collection(GatewayCollection.Name)]
public sealed class TokenTests(GatewayFixture fixture)
{
    private const string Read = "Observation/obs-v-p0001";

    private Dictionary<string, object> Claims(string scope = "user/*.rs") => new()
    {
        ["scope"] = scope, ["client_id"] = GatewayFixture.DemoApp, ["fhirUser"] = GatewayFixture.Alice,
    };

    private async Task<FhirAnswer> ReadWith(string? token, string url = Read)
    {
        using var client = fixture.Gateway.Client(token);
        return await client.GetFhirAsync(url);
    }

    private static void AssertChallenge(FhirAnswer answer, string error)
    {
        var challenge = Assert.Single(answer.Message.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains($"error=\"{error}\"", challenge.Parameter);
        Assert.Equal("OperationOutcome", (string?)answer.Body!["resourceType"]);
    }

    [Fact]
    public async Task No_token_is_401_with_a_bearer_challenge()
    {
        var answer = await ReadWith(null);
        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        AssertChallenge(answer, "invalid_token");
    }

    [Fact]
    public async Task An_expired_token_is_401()
    {
        var token = fixture.Issuer.Issue(fixture.Gateway.BaseUrl, Claims(), lifetime: TimeSpan.FromMinutes(-10));
        var answer = await ReadWith(token);
        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        AssertChallenge(answer, "invalid_token");
        Assert.Contains("expired", answer.IssueText);
    }

    [Fact]
    public async Task A_forged_signature_is_401_for_RS256_and_ES384()
    {
        foreach (var kid in new[] { "rs-1", "es-1" })
        {
            var answer = await ReadWith(fixture.Issuer.Issue(fixture.Gateway.BaseUrl, Claims(), kid, forged: true));
            Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
            AssertChallenge(answer, "invalid_token");
        }
    }

    [Fact]
    public async Task A_token_for_another_audience_or_from_another_issuer_is_401()
    {
        var otherAudience = await ReadWith(fixture.Issuer.Issue("https://other-fhir.example/", Claims()));
        Assert.Equal(HttpStatusCode.Unauthorized, otherAudience.Status);
        Assert.Contains("audience", otherAudience.IssueText);
        var otherIssuer = await ReadWith(fixture.Issuer.Issue(fixture.Gateway.BaseUrl, Claims(), issuer: "https://evil.example"));
        Assert.Equal(HttpStatusCode.Unauthorized, otherIssuer.Status);
    }

    [Fact]
    public async Task An_ES384_token_validates()
    {
        var answer = await ReadWith(fixture.Issuer.Issue(fixture.Gateway.BaseUrl, Claims(), "es-1"));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
    }

    [Fact]
    public async Task A_valid_token_without_a_resource_scope_is_403_insufficient_scope()
    {
        var answer = await ReadWith(fixture.Issuer.Issue(fixture.Gateway.BaseUrl, Claims("openid fhirUser launch")));
        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        AssertChallenge(answer, "insufficient_scope");
    }

    [Fact]
    public async Task A_rotated_key_is_fetched_when_a_token_names_it()
    {
        var kid = "rs-rotated-" + Guid.NewGuid().ToString("N")[..6];
        Assert.Equal(HttpStatusCode.OK, (await ReadWith(fixture.Token("user/*.rs"))).Status);
        var fetches = fixture.Issuer.JwksFetches;
        fixture.Issuer.AddKey(kid, Microsoft.IdentityModel.Tokens.SecurityAlgorithms.RsaSha256);
        var answer = await ReadWith(fixture.Issuer.Issue(fixture.Gateway.BaseUrl, Claims(), kid));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.True(fixture.Issuer.JwksFetches > fetches);
    }

    [Fact]
    public async Task The_patient_claim_confines_patient_scopes_to_the_launch_patient()
    {
        var token = fixture.Issuer.Issue(fixture.Gateway.BaseUrl, new Dictionary<string, object>
        {
            ["scope"] = "patient/Observation.rs", ["client_id"] = GatewayFixture.DemoApp,
            ["fhirUser"] = "Patient/p0001", ["patient"] = "p0001",
        });
        Assert.Equal(HttpStatusCode.OK, (await ReadWith(token, "Observation/obs-v-p0001")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await ReadWith(token, "Observation/obs-v-p0002")).Status);
    }

    [Fact]
    public async Task A_fhirContext_group_narrows_the_token_to_its_members()
    {
        var token = fixture.Issuer.Issue(fixture.Gateway.BaseUrl, new Dictionary<string, object>
        {
            ["scope"] = "user/*.rs", ["client_id"] = GatewayFixture.DemoApp, ["fhirUser"] = GatewayFixture.Alice,
            ["fhirContext"] = new[] { new Dictionary<string, object> { ["reference"] = "Group/g9245" } },
        });
        // p0001 is on Alice's panel but not in the group.
        Assert.Equal(HttpStatusCode.Forbidden, (await ReadWith(token, "Observation/obs-v-p0001")).Status);
    }

    [Fact]
    public async Task Opaque_tokens_are_introspected_when_configured()
    {
        await using var gateway = await GatewayHost.StartAsync(fixture.Upstream.BaseUrl, fixture.Server.GrpcPort, fixture.PepKey, fixture.Issuer.Issuer,
            "--Gateway:Tokens:Introspection:Url", fixture.Issuer.Issuer + "/introspect",
            "--Gateway:Tokens:Introspection:ClientId", TokenIssuer.IntrospectionClient,
            "--Gateway:Tokens:Introspection:ClientSecret", TokenIssuer.IntrospectionSecret);
        var token = fixture.Issuer.IssueOpaque(gateway.BaseUrl, Claims());
        using (var client = gateway.Client(token))
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetFhirAsync(Read)).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetFhirAsync("Observation/obs-v-p0200")).Status);
            fixture.Issuer.Revoke(token);
            var revoked = await client.GetFhirAsync(Read);
            Assert.Equal(HttpStatusCode.Unauthorized, revoked.Status);
            AssertChallenge(revoked, "invalid_token");
        }
        using var otherAudience = gateway.Client(fixture.Issuer.IssueOpaque("https://other-fhir.example/", Claims()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await otherAudience.GetFhirAsync(Read)).Status);
        using var expired = gateway.Client(fixture.Issuer.IssueOpaque(gateway.BaseUrl, Claims(), TimeSpan.FromMinutes(-5)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await expired.GetFhirAsync(Read)).Status);
        // Without introspection configured, an opaque token is simply not a JWT.
        using var plain = fixture.Gateway.Client(fixture.Issuer.IssueOpaque(fixture.Gateway.BaseUrl, Claims()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await plain.GetFhirAsync(Read)).Status);
    }
}
