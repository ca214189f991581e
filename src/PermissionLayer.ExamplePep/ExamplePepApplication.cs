using PermissionLayer.Client;
using PermissionLayer.ExamplePep.Authorization;
using PermissionLayer.ExamplePep.Fhir;

namespace PermissionLayer.ExamplePep;

/// <summary>
/// The example FHIR server: an in-memory store of a few resources, and two reads that are served
/// only when PermissionLayer permits them. Program.cs runs it; tests start it in-process.
/// </summary>
public static class ExamplePepApplication
{
    /// <summary>Builds the app. Configuration: <c>Urls</c>, <c>PermissionLayer:Address</c>, <c>PermissionLayer:ApiKey</c>.</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var section = builder.Configuration.GetSection("PermissionLayer");
        // One client (one HTTP/2 channel) for the whole server; it is thread-safe.
        builder.Services.AddPermissionLayerClient(section.Bind);
        builder.Services.AddSingleton(FhirStore.WithExampleResources());
        builder.Services.AddSingleton<GuardedRead>();

        var app = builder.Build();
        app.MapGet("/{type}/{id}", (string type, string id, HttpContext http, GuardedRead read) => read.HandleAsync(type, id, http));
        return app;
    }
}
