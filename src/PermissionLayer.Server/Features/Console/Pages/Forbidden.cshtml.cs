using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PermissionLayer.Server.Features.Console.Pages;

/// <summary>Where a signed-in key is sent for a page its roles do not cover; answers 403.</summary>
[Authorize(AuthenticationSchemes = ConsoleAuthentication.Scheme)]
public sealed class ForbiddenModel : PageModel
{
    public void OnGet() => Response.StatusCode = StatusCodes.Status403Forbidden;
}
