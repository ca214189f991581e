using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PermissionLayer.Server.Features.Authentication;

namespace PermissionLayer.Server.Features.Console.Pages;

/// <summary>
/// Sign-in with an API key, checked by the same cache and failed-lookup budget as the API's bearer
/// keys. A key with no console role (a pep key) is refused; nothing is remembered for it.
/// </summary>
[AllowAnonymous]
public sealed class SignInModel(ApiKeyCache keys) : PageModel
{
    [BindProperty]
    public string ApiKey { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var key = ApiKey.Trim();
        Storage.ApiKeys.ApiKeyRow? row;
        try
        {
            row = key.Length == 0 ? null
                : await keys.ValidateAsync(key, HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown", HttpContext.RequestAborted);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Error = "The key store is unavailable; try again in a moment.";
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Page();
        }
        if (row is null)
        {
            Error = "Unknown, malformed or revoked API key.";
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }
        if (!ConsoleAuthentication.MaySignIn(row))
        {
            Error = "This key has no console role: the console is for keys with the auditor or admin role.";
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }
        var session = HttpContext.RequestServices.GetRequiredService<ConsoleSessions>().Open();
        await HttpContext.SignInAsync(ConsoleAuthentication.Scheme, ConsoleAuthentication.PrincipalOf(row, key, session));
        // Only back into the console: a return address elsewhere would make sign-in an open redirect.
        return LocalRedirect(ReturnUrl is { } back && Url.IsLocalUrl(back) && back.StartsWith("/console", StringComparison.Ordinal) ? back : "/console");
    }
}
