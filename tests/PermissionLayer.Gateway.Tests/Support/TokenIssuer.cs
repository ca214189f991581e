using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Gateway.Tests.Support;

/// <summary>
/// A SMART authorization server for the tests, in this process: it serves
/// <c>.well-known/smart-configuration</c> (with <c>jwks_uri</c>) and a JWKS, and signs access tokens
/// with RS256 or ES384. Keys can be rotated; a forger signs with a key of its own under a published kid.
/// </summary>
public sealed class TokenIssuer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<(SecurityKey Private, JsonWebKey Public, string Algorithm)> _keys = [];
    private readonly JsonWebTokenHandler _handler = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Dictionary<string, object>> _opaque = new();

    /// <summary>The client the gateway introspects as (RFC 7662 client_secret_basic).</summary>
    public const string IntrospectionClient = "gateway";
    public const string IntrospectionSecret = "introspection-secret";

    private TokenIssuer(WebApplication app, string url)
    {
        _app = app;
        Issuer = url;
    }

    public string Issuer { get; }

    /// <summary>How often the JWKS was fetched (discovery aside).</summary>
    public int JwksFetches { get; private set; }

    public static async Task<TokenIssuer> StartAsync()
    {
        var url = $"http://127.0.0.1:{FreePorts.Next()}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Warning);
        var app = builder.Build();
        var issuer = new TokenIssuer(app, url);
        issuer.AddKey("rs-1", SecurityAlgorithms.RsaSha256);
        issuer.AddKey("es-1", SecurityAlgorithms.EcdsaSha384);
        app.MapGet("/.well-known/smart-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = url,
            ["jwks_uri"] = url + "/jwks",
            ["authorization_endpoint"] = url + "/authorize",
            ["token_endpoint"] = url + "/token",
            ["capabilities"] = new[] { "launch-standalone", "client-confidential-asymmetric", "permission-v2" },
        }));
        app.MapGet("/jwks", () =>
        {
            issuer.JwksFetches++;
            lock (issuer._keys)
            {
                return Results.Text(JsonSerializer.Serialize(new { keys = issuer._keys.Select(k => Wire(k.Public)).ToList() }), "application/json");
            }
        });
        app.MapPost("/introspect", async (HttpContext http) =>
        {
            var expected = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{IntrospectionClient}:{IntrospectionSecret}"));
            if (http.Request.Headers.Authorization.ToString() != expected)
            {
                return Results.StatusCode(401);
            }
            var form = await http.Request.ReadFormAsync();
            return issuer._opaque.TryGetValue(form["token"].ToString(), out var claims)
                ? Results.Json(new Dictionary<string, object>(claims) { ["active"] = true })
                : Results.Json(new { active = false });
        });
        await app.StartAsync();
        return issuer;
    }

    /// <summary>An opaque (non-JWT) token that the introspection endpoint answers with <paramref name="claims"/> (plus iss and exp).</summary>
    public string IssueOpaque(string audience, IReadOnlyDictionary<string, object> claims, TimeSpan? lifetime = null)
    {
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        _opaque[token] = new Dictionary<string, object>(claims)
        {
            ["iss"] = Issuer,
            ["aud"] = audience,
            ["exp"] = DateTimeOffset.UtcNow.Add(lifetime ?? TimeSpan.FromMinutes(5)).ToUnixTimeSeconds(),
        };
        return token;
    }

    /// <summary>Revokes an opaque token: introspection answers inactive from now on.</summary>
    public void Revoke(string token) => _opaque.TryRemove(token, out _);

    /// <summary>Publishes a new signing key (a rotation); tokens name it by <paramref name="kid"/>.</summary>
    public void AddKey(string kid, string algorithm)
    {
        var (privateKey, publicKey) = NewKey(kid, algorithm);
        lock (_keys)
        {
            _keys.Add((privateKey, publicKey, algorithm));
        }
    }

    /// <summary>
    /// A signed access token. <paramref name="claims"/> are the SMART claims (scope, client_id,
    /// fhirUser, patient, fhirContext, ...); the defaults make a valid token for <paramref name="audience"/>.
    /// </summary>
    public string Issue(
        string audience, IReadOnlyDictionary<string, object> claims, string kid = "rs-1", TimeSpan? lifetime = null,
        DateTime? now = null, bool forged = false, string? issuer = null)
    {
        var at = now ?? DateTime.UtcNow;
        SecurityKey key;
        string algorithm;
        lock (_keys)
        {
            var published = _keys.Single(k => k.Public.Kid == kid);
            algorithm = published.Algorithm;
            // A forger knows the kid but not the key.
            key = forged ? NewKey(kid, algorithm).Private : published.Private;
        }
        var expires = at + (lifetime ?? TimeSpan.FromMinutes(5));
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience,
            IssuedAt = expires < at ? expires.AddMinutes(-1) : at,
            NotBefore = expires < at ? expires.AddMinutes(-1) : at.AddSeconds(-5),
            Expires = expires,
            Claims = new Dictionary<string, object>(claims) { ["jti"] = Guid.NewGuid().ToString("N") },
            SigningCredentials = new SigningCredentials(key, algorithm),
        };
        return _handler.CreateToken(descriptor);
    }

    /// <summary>A public JWK as JSON members (RFC 7517): only what a verifier needs.</summary>
    private static Dictionary<string, string> Wire(JsonWebKey key)
    {
        var members = new Dictionary<string, string> { ["kty"] = key.Kty, ["kid"] = key.Kid, ["use"] = key.Use, ["alg"] = key.Alg };
        if (key.Kty == "EC")
        {
            members["crv"] = key.Crv;
            members["x"] = key.X;
            members["y"] = key.Y;
        }
        else
        {
            members["n"] = key.N;
            members["e"] = key.E;
        }
        return members;
    }

    private static (SecurityKey Private, JsonWebKey Public) NewKey(string kid, string algorithm)
    {
        if (algorithm == SecurityAlgorithms.EcdsaSha384)
        {
            var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
            var privateKey = new ECDsaSecurityKey(ec) { KeyId = kid };
            var publicKey = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(ec.ExportParameters(false))) { KeyId = kid });
            publicKey.Alg = algorithm;
            publicKey.Use = "sig";
            return (privateKey, publicKey);
        }
        var rsa = RSA.Create(2048);
        var rsaPrivate = new RsaSecurityKey(rsa) { KeyId = kid };
        var rsaPublic = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = kid });
        rsaPublic.Alg = algorithm;
        rsaPublic.Use = "sig";
        return (rsaPrivate, rsaPublic);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
