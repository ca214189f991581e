using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace PermissionLayer.Server.Features.Authentication;

/// <summary>
/// Authenticates callers by API key, sent as <c>authorization: Bearer plk_…</c> (gRPC metadata or
/// HTTP header). The key's roles become role claims that the services require. Keys are never
/// logged; only the key id is, on failure.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyCache keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string BearerPrefix = "Bearer ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }
        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("authorization must be 'Bearer <api key>'");
        }
        var row = await keys.ValidateAsync(header[BearerPrefix.Length..].Trim(), Context.RequestAborted);
        if (row is null)
        {
            return AuthenticateResult.Fail("unknown, malformed or revoked API key");
        }
        var claims = new List<Claim> { new(ClaimTypes.Name, row.Name), new("key_id", row.Id) };
        claims.AddRange(row.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }
}
