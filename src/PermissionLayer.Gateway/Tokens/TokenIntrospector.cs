using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using PermissionLayer.Gateway.Configuration;
using PermissionLayer.Gateway.Fhir;

namespace PermissionLayer.Gateway.Tokens;

/// <summary>
/// RFC 7662 introspection of opaque access tokens: the authorization server says whether the token
/// is active and what it carries. An inactive, expired or wrongly addressed token is 401; an
/// endpoint that cannot answer is 503 (never a guess that the token is fine).
/// </summary>
public sealed class TokenIntrospector(GatewaySettings settings, IHttpClientFactory httpClients, TimeProvider time)
{
    public const string HttpClientName = "introspection";

    /// <summary>The token's claims when it is active and meant for this gateway; else the refusal.</summary>
    public async Task<(JsonDocument? Claims, TokenOutcome? Refusal)> IntrospectAsync(string token, CancellationToken cancellationToken)
    {
        var introspection = settings.Tokens.Introspection ?? throw new InvalidOperationException("introspection is not configured");
        using var request = new HttpRequestMessage(HttpMethod.Post, introspection.Endpoint)
        {
            Content = new FormUrlEncodedContent([new("token", token), new("token_type_hint", "access_token")]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(
            Uri.EscapeDataString(introspection.ClientId) + ":" + Uri.EscapeDataString(introspection.ClientSecret))));
        JsonDocument document;
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw GatewayRefusal.Unavailable($"the token introspection endpoint answered {(int)response.StatusCode}; the request was not served");
            }
            document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw GatewayRefusal.Unavailable("the token introspection endpoint cannot be asked; the request was not served");
        }
        var claims = document.RootElement;
        var refusal = claims.ValueKind != JsonValueKind.Object || !claims.TryGetProperty("active", out var active) || active.ValueKind != JsonValueKind.True
            ? TokenOutcome.Invalid("the access token is not active")
            : claims.TryGetProperty("exp", out var exp) && (exp.ValueKind != JsonValueKind.Number
                || DateTimeOffset.FromUnixTimeSeconds(exp.GetInt64()) + settings.Tokens.ClockSkew < time.GetUtcNow())
                ? TokenOutcome.Invalid("the access token has expired or is not yet valid")
            : claims.TryGetProperty("iss", out var iss) && iss.GetString() != settings.Tokens.Issuer
                ? TokenOutcome.Invalid("the access token was issued by an issuer this server does not trust")
            // An introspection answer without aud does not say whom the token is for: refused like a JWT without one.
            : !Audiences(claims).Any(settings.Tokens.Audiences.Contains)
                ? TokenOutcome.Invalid("the access token is not meant for this server (audience)")
            : null;
        if (refusal is not null)
        {
            document.Dispose();
            return (null, refusal);
        }
        return (document, null);
    }

    private static IEnumerable<string> Audiences(JsonElement claims)
    {
        if (!claims.TryGetProperty("aud", out var aud))
        {
            return [];
        }
        return aud.ValueKind switch
        {
            JsonValueKind.String => [aud.GetString()!],
            JsonValueKind.Array => aud.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!),
            _ => [],
        };
    }
}
