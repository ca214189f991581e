using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace PermissionLayer.Client;

/// <summary>Registers the PermissionLayer client in a FHIR server's container.</summary>
public static class PermissionLayerServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="PermissionLayerClient"/> (also as <see cref="IPermissionLayerClient"/>)
    /// for the whole application; the container disposes it. Options are validated when the client
    /// are validated when a host starts (and on first resolution otherwise), so a missing address fails
    /// at startup, not on the first patient.
    /// </summary>
    /// <example>
    /// <code>
    /// builder.Services.AddPermissionLayerClient(o =>
    /// {
    ///     o.Address = new Uri(builder.Configuration["PermissionLayer:Address"]!);
    ///     o.ApiKey = builder.Configuration["PermissionLayer:ApiKey"];
    /// });
    /// </code>
    /// </example>
    public static IServiceCollection AddPermissionLayerClient(this IServiceCollection services, Action<PermissionLayerClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<PermissionLayerClientOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PermissionLayerClientOptions>, PermissionLayerClientOptionsValidator>());
        services.TryAddSingleton(sp => new PermissionLayerClient(sp.GetRequiredService<IOptions<PermissionLayerClientOptions>>().Value));
        services.TryAddSingleton<IPermissionLayerClient>(sp => sp.GetRequiredService<PermissionLayerClient>());
        return services;
    }
}
