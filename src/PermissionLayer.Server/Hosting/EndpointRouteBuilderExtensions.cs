using PermissionLayer.Server.Features.Admin;
using PermissionLayer.Server.Features.Audit;
using PermissionLayer.Server.Features.Decisions;

namespace PermissionLayer.Server.Hosting;

public static class EndpointRouteBuilderExtensions
{
    /// <summary>Maps the gRPC services (and their JSON transcoding), health and reflection.</summary>
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
        return app;
    }
}
