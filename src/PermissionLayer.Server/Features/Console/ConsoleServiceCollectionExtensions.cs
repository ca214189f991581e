using Microsoft.AspNetCore.Authentication.Cookies;

namespace PermissionLayer.Server.Features.Console;

public static class ConsoleServiceCollectionExtensions
{
    /// <summary>The console at /console: Razor Pages, its cookie session, its client of the service's own API.</summary>
    public static IServiceCollection AddConsole(this IServiceCollection services, Microsoft.AspNetCore.Authentication.AuthenticationBuilder authentication)
    {
        authentication.AddCookie(ConsoleAuthentication.Scheme, ConsoleAuthentication.Configure);
        services.AddRazorPages(pages => pages.RootDirectory = "/Features/Console/Pages");
        services.AddSingleton<ConsoleApi>();
        return services;
    }
}
