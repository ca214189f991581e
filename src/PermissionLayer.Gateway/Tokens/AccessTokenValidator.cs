using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using PermissionLayer.Contracts.V1;
using TokenContext = PermissionLayer.Contracts.V1.TokenContext;
using PermissionLayer.Gateway.Configuration;

namespace PermissionLayer.Gateway.Tokens;

/// <summary>
/// Validates a SMART access token (a JWT signed by the configured issuer with RS256 or ES384) and maps
/// its claims to the decision service's <see cref="TokenContext"/>. The token context comes only from
/// a token that validated: nothing a caller sends beside it is trusted.
/// </summary>
public sealed class AccessTokenValidator(GatewaySettings settings, JwksKeySource keys, TokenIntrospector introspector, TimeProvider time)
{
    private static readonly string[] Algorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha384];
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    public async Task<TokenOutcome> ValidateAsync(string? authorization, CancellationToken cancellationToken)
    {
        const string bearer = "Bearer ";
        if (authorization is null || !authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
        {
            return TokenOutcome.Invalid("a bearer access token is required");
        }
        var token = authorization[bearer.Length..].Trim();
        if (token.Length == 0)
        {
            return TokenOutcome.Invalid("a bearer access token is required");
        }
        if (!_handler.CanReadToken(token))
        {
            if (settings.Tokens.Introspection is null)
            {
                return TokenOutcome.Invalid("the access token is not a JWT");
            }
            var (claims, refusal) = await introspector.IntrospectAsync(token, cancellationToken);
            if (refusal is not null)
            {
                return refusal;
            }
            using (claims)
            {
                return Map(claims!.RootElement);
            }
        }
        var result = await _handler.ValidateTokenAsync(token, Parameters(await keys.CurrentAsync(cancellationToken)));
        if (!result.IsValid && result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // A key id we do not know: the issuer may have rotated its keys since we fetched them.
            result = await _handler.ValidateTokenAsync(token, Parameters(await keys.RefreshForUnknownKeyAsync(cancellationToken)));
        }
        if (!result.IsValid)
        {
            return TokenOutcome.Invalid(Describe(result.Exception));
        }
        using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(((JsonWebToken)result.SecurityToken).EncodedPayload));
        return Map(payload.RootElement);
    }

    private TokenValidationParameters Parameters(IReadOnlyList<SecurityKey> signingKeys) => new()
    {
        ValidIssuer = settings.Tokens.Issuer,
        ValidAudiences = settings.Tokens.Audiences,
        IssuerSigningKeys = signingKeys,
        ValidAlgorithms = Algorithms,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ValidateLifetime = true,
        ClockSkew = settings.Tokens.ClockSkew,
        TryAllIssuerSigningKeys = false,
        LifetimeValidator = (notBefore, expires, _, parameters) =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            return expires is { } exp && exp.ToUniversalTime() + parameters.ClockSkew >= now
                && (notBefore is not { } nbf || nbf.ToUniversalTime() - parameters.ClockSkew <= now);
        },
    };

    private static string Describe(Exception? e) => e switch
    {
        SecurityTokenExpiredException or SecurityTokenInvalidLifetimeException => "the access token has expired or is not yet valid",
        SecurityTokenInvalidAudienceException => "the access token is not meant for this server (audience)",
        SecurityTokenInvalidIssuerException => "the access token was issued by an issuer this server does not trust",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "the access token's signature does not verify",
        SecurityTokenInvalidAlgorithmException => "the access token is signed with an algorithm this server does not accept",
        _ => "the access token does not validate",
    };

    /// <summary>
    /// The claims the decision service needs, read from the validated payload (or the introspection
    /// answer): <c>scope</c>, <c>client_id</c>, <c>fhirUser</c>, <c>patient</c>, <c>fhirContext</c>,
    /// the purpose of use, <c>jti</c>.
    /// </summary>
    private TokenOutcome Map(JsonElement claims)
    {
        var scope = Text(claims, "scope") ?? Words(claims, "scp");
        var clientId = Text(claims, "client_id") ?? Text(claims, "azp") ?? Text(claims, "cid");
        if (string.IsNullOrEmpty(clientId))
        {
            return TokenOutcome.Invalid("the access token names no client (client_id)");
        }
        if (string.IsNullOrWhiteSpace(scope) || !scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(IsResourceScope))
        {
            return TokenOutcome.InsufficientScope("the access token grants no patient/, user/ or system/ scope");
        }
        var context = new TokenContext
        {
            ClientId = clientId,
            Scope = scope,
            FhirUser = Relative(Text(claims, "fhirUser") ?? ""),
            LaunchPatient = Text(claims, "patient") ?? "",
            PurposeOfUse = Text(claims, settings.Tokens.PurposeOfUseClaim) ?? "",
            Jti = Text(claims, "jti") ?? "",
        };
        if (claims.TryGetProperty("fhirContext", out var fhirContext) && fhirContext.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in fhirContext.EnumerateArray())
            {
                // SMART 2.2: objects with reference (or canonical/identifier); a bare string is an older spelling.
                var reference = item.ValueKind switch
                {
                    JsonValueKind.String => item.GetString(),
                    JsonValueKind.Object when item.TryGetProperty("reference", out var r) && r.ValueKind == JsonValueKind.String => r.GetString(),
                    _ => null,
                };
                if (reference is null)
                {
                    // A context we cannot read would be silently dropped, widening the token: refuse.
                    return TokenOutcome.Invalid("the access token's fhirContext holds an entry without a reference");
                }
                context.FhirContext.Add(Relative(reference));
            }
        }
        return TokenOutcome.Valid(context);
    }

    private static bool IsResourceScope(string scope) =>
        scope.StartsWith("patient/", StringComparison.Ordinal) || scope.StartsWith("user/", StringComparison.Ordinal)
        || scope.StartsWith("system/", StringComparison.Ordinal);

    /// <summary>An absolute reference to this server (its public or its upstream base) as the relative one the service reads.</summary>
    private string Relative(string reference)
    {
        foreach (var baseUrl in new[] { settings.PublicBaseUrl, settings.UpstreamBaseUrl })
        {
            if (baseUrl is not null && reference.StartsWith(baseUrl.ToString(), StringComparison.Ordinal))
            {
                return reference[baseUrl.ToString().Length..];
            }
        }
        return reference;
    }

    private static string? Text(JsonElement claims, string name) =>
        claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? Words(JsonElement claims, string name)
    {
        if (!claims.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        var words = new StringBuilder();
        foreach (var item in value.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String))
        {
            words.Append(words.Length > 0 ? " " : "").Append(item.GetString());
        }
        return words.ToString();
    }
}
