using Microsoft.AspNetCore.Mvc.ApplicationParts;

namespace PermissionLayer.Server.Features.Console;

public static class ConsoleServiceCollectionExtensions
{
    /// <summary>The console at /console: Razor Pages, its cookie session, its client of the service's own API.</summary>
    public static IServiceCollection AddConsole(this IServiceCollection services, Microsoft.AspNetCore.Authentication.AuthenticationBuilder authentication)
    {
        authentication.AddCookie(ConsoleAuthentication.Scheme, ConsoleAuthentication.Configure);
        services.AddRazorPages(pages => pages.RootDirectory = "/Features/Console/Pages")
            .ConfigureApplicationPartManager(parts =>
            {
                // The pages are compiled into this assembly. MVC looks in the entry assembly, which is
                // this one when the server runs on its own but not when a test process hosts it.
                var assembly = typeof(ConsoleApi).Assembly;
                if (!parts.ApplicationParts.Any(p => p.Name == assembly.GetName().Name))
                {
                    foreach (var part in ApplicationPartFactory.GetApplicationPartFactory(assembly).GetApplicationParts(assembly))
                    {
                        parts.ApplicationParts.Add(part);
                    }
                }
            });
        services.AddSingleton<ConsoleApi>();
        services.AddSingleton<ConsoleSessions>();
        return services;
    }
}
