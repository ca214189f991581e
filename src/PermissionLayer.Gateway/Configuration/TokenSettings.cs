namespace PermissionLayer.Gateway.Configuration;

/// <summary>How access tokens are validated: whose, for whom, with which keys.</summary>
/// <param name="Issuer">The authorization server's issuer (<c>iss</c>), exactly.</param>
/// <param name="Audiences">Accepted <c>aud</c> values (usually this gateway's public FHIR base URL).</param>
/// <param name="JwksUrl">The issuer's JWKS; null: discovered from the issuer's <c>.well-known/smart-configuration</c>.</param>
/// <param name="PurposeOfUseClaim">The claim carrying the purpose of use (no SMART claim is standard).</param>
/// <param name="ClockSkew">Tolerance on <c>exp</c> and <c>nbf</c>.</param>
/// <param name="JwksRefetchInterval">Least time between two JWKS fetches caused by unknown key ids.</param>
/// <param name="Introspection">RFC 7662 introspection for opaque tokens; null: only JWTs are accepted.</param>
public sealed record TokenSettings(
    string Issuer, IReadOnlyList<string> Audiences, Uri? JwksUrl, string PurposeOfUseClaim, TimeSpan ClockSkew, TimeSpan JwksRefetchInterval,
    IntrospectionSettings? Introspection);

/// <summary>Where and as whom the gateway introspects opaque tokens (RFC 7662, client_secret_basic).</summary>
public sealed record IntrospectionSettings(Uri Endpoint, string ClientId, string ClientSecret);
