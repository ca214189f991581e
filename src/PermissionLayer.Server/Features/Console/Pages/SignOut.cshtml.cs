using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PermissionLayer.Server.Features.Console.Pages;

[Authorize(AuthenticationSchemes = ConsoleAuthentication.Scheme)]
public sealed class SignOutModel : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await ConsoleAuthentication.SignOutAsync(HttpContext);
        return LocalRedirect("/console/sign-in");
    }
}
