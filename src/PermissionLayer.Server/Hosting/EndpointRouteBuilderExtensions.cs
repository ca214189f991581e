using PermissionLayer.Server.Features.Admin;
using PermissionLayer.Server.Features.Audit;
using PermissionLayer.Server.Features.Decisions;

namespace PermissionLayer.Server.Hosting;

public static class EndpointRouteBuilderExtensions
{
    /// <summary>Maps the gRPC services (and their JSON transcoding), health, reflection and the console.</summary>
    public static WebApplication MapPermissionLayer(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGrpcService<DecisionGrpcService>();
        app.MapGrpcService<AdminGrpcService>();
        app.MapGrpcService<AuditGrpcService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        app.MapHealthChecks("/healthz");
        // The privacy and admin console (Features/Console): server-rendered pages under /console.
        app.MapRazorPages();
        return app;
    }
}
