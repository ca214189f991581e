using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using PermissionLayer.Server.Features.Telemetry;
using PermissionLayer.Storage.ApiKeys;

namespace PermissionLayer.Server.Features.Authentication;

/// <summary>
/// Authenticates callers by API key, sent as <c>authorization: Bearer plk_…</c> (gRPC metadata or
/// HTTP header). The key's roles become role claims that the services require. Keys are never
/// logged; only the key id is, on failure.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyCache keys, AuthenticationMetrics metrics)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string BearerPrefix = "Bearer ";
    private const string StoreUnavailable = "PermissionLayer.ApiKeyStoreUnavailable";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }
        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            metrics.Failed(AuthenticationMetrics.Malformed);
            return AuthenticateResult.Fail("authorization must be 'Bearer <api key>'");
        }
        ApiKeyRow? row;
        try
        {
            row = await keys.ValidateAsync(
                header[BearerPrefix.Length..].Trim(), Context.Connection.RemoteIpAddress?.ToString() ?? "unknown", Context.RequestAborted);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A key not yet cached cannot be checked while PostgreSQL is away: not "unknown key", not an
            // internal error, but "try again" (the challenge answers 503, which gRPC clients read as UNAVAILABLE).
            Logger.LogWarning("API key store unavailable: {Error}", e.Message);
            Context.Items[StoreUnavailable] = true;
            metrics.Failed(AuthenticationMetrics.StoreUnavailable);
            return AuthenticateResult.Fail("the API key store is unavailable");
        }
        if (row is null)
        {
            metrics.Failed(AuthenticationMetrics.UnknownKey);
            return AuthenticateResult.Fail("unknown, malformed or revoked API key");
        }
        return AuthenticateResult.Success(new AuthenticationTicket(ApiKeyPrincipal.Of(row, SchemeName), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // Challenged without a key: the endpoint needs one. (A key that failed was counted when it failed.)
        if (string.IsNullOrEmpty(Request.Headers.Authorization.ToString()))
        {
            metrics.Failed(AuthenticationMetrics.Missing);
        }
        if (Context.Items.ContainsKey(StoreUnavailable))
        {
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            Response.Headers.RetryAfter = "1";
            return Task.CompletedTask;
        }
        return base.HandleChallengeAsync(properties);
    }
}
