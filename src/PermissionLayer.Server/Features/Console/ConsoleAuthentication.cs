using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using PermissionLayer.Server.Features.Authentication;
using PermissionLayer.Storage.ApiKeys;

namespace PermissionLayer.Server.Features.Console;

/// <summary>
/// The console's session: after sign-in the API key lives only inside the authentication cookie,
/// which ASP.NET Core Data Protection encrypts and signs, sent HttpOnly, SameSite=Strict and only
/// under <c>/console</c>; it is never in a URL. Every request re-validates the key through the same
/// <see cref="ApiKeyCache"/> as the API, so a revoked key (or a changed role) takes effect in the
/// console as fast as on the API. Only keys with a console role (auditor, admin) may sign in.
/// </summary>
public static class ConsoleAuthentication
{
    public const string Scheme = "Console";
    public const string ApiKeyClaim = "console_api_key";
    public const string SessionClaim = "console_session";
    public const string CookieName = "pl_console";

    /// <summary>The roles that see something in the console; a key with neither (a pep key) cannot sign in.</summary>
    public static readonly IReadOnlyList<string> ConsoleRoles = [CallerRoles.Auditor, CallerRoles.Admin];

    public static bool MaySignIn(ApiKeyRow row) => row.Roles.Any(r => ConsoleRoles.Contains(r));

    public static ClaimsPrincipal PrincipalOf(ApiKeyRow row, string apiKey, string session) =>
        ApiKeyPrincipal.Of(row, Scheme, new Claim(ApiKeyClaim, apiKey), new Claim(SessionClaim, session));

    /// <summary>Ends the caller's session on the server (<see cref="ConsoleSessions"/>) and in the browser.</summary>
    public static async Task SignOutAsync(HttpContext http)
    {
        http.RequestServices.GetRequiredService<ConsoleSessions>().Close(http.User.FindFirstValue(SessionClaim));
        await http.SignOutAsync(Scheme);
    }

    public static void Configure(CookieAuthenticationOptions cookie)
    {
        cookie.Cookie.Name = CookieName;
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Strict;
        cookie.Cookie.Path = "/console";
        cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        cookie.LoginPath = "/console/sign-in";
        cookie.LogoutPath = "/console/sign-out";
        cookie.AccessDeniedPath = "/console/forbidden";
        cookie.ReturnUrlParameter = "returnUrl";
        cookie.ExpireTimeSpan = TimeSpan.FromMinutes(30);
        cookie.SlidingExpiration = true;
        cookie.Events.OnValidatePrincipal = RevalidateAsync;
    }

    private static async Task RevalidateAsync(CookieValidatePrincipalContext context)
    {
        var key = context.Principal?.FindFirstValue(ApiKeyClaim);
        var session = context.Principal?.FindFirstValue(SessionClaim);
        ApiKeyRow? row = null;
        // A cookie whose session was signed out, timed out or is unknown here opens nothing.
        if (key is not null && context.HttpContext.RequestServices.GetRequiredService<ConsoleSessions>().Touch(session))
        {
            var keys = context.HttpContext.RequestServices.GetRequiredService<ApiKeyCache>();
            try
            {
                row = await keys.ValidateAsync(key, context.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown", context.HttpContext.RequestAborted);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The key cannot be checked (PostgreSQL away): not signed in for this request (fail closed).
                row = null;
            }
        }
        if (row is null || !MaySignIn(row))
        {
            context.HttpContext.RequestServices.GetRequiredService<ConsoleSessions>().Close(session);
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
            return;
        }
        // Roles as they are now, not as they were at sign-in.
        context.ReplacePrincipal(PrincipalOf(row, key!, session!));
    }
}
