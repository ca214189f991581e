namespace PermissionLayer.Server.Hosting;

/// <summary>
/// Builds the server application: configuration, validation, migrations, endpoints. Program.cs and
/// the integration tests both start the service through here, so tests run the real wiring.
/// </summary>
public static class PermissionLayerApplication
{
    /// <param name="args">Command-line arguments (configuration overrides such as <c>--PermissionLayer:Endpoints:GrpcPort=6000</c>).</param>
    /// <param name="configure">Extra configuration sources, applied last (tests use it).</param>
    /// <param name="replaceServices">Service registrations applied after ours, so they win (tests replace the decision clock).</param>
    public static async Task<WebApplication> BuildAsync(
        string[] args, Action<IConfigurationBuilder>? configure = null, Action<IServiceCollection>? replaceServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        configure?.Invoke(builder.Configuration);
        var options = builder.AddPermissionLayer();
        replaceServices?.Invoke(builder.Services);
        var app = builder.Build();
        if (options.Storage.MigrateOnStart)
        {
            await DatabaseMigrator.MigrateAsync(app.Services);
        }
        app.MapPermissionLayer();
        return app;
    }
}
