using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PermissionLayer.Server.Features.Console.Pages;

[Authorize(AuthenticationSchemes = ConsoleAuthentication.Scheme)]
public sealed class IndexModel : PageModel
{
    public void OnGet()
    {
    }
}
