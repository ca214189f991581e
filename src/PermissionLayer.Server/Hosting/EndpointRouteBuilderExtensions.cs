using PermissionLayer.Server.Features.Admin;
using PermissionLayer.Server.Features.Audit;
using PermissionLayer.Server.Features.Decisions;
using PermissionLayer.Server.Features.Telemetry;

namespace PermissionLayer.Server.Hosting;

public static class EndpointRouteBuilderExtensions
{
    /// <summary>Maps the gRPC services (and their JSON transcoding), health, reflection and the metrics scrape.</summary>
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
        app.MapPermissionLayerTelemetry(app.Services.GetRequiredService<PermissionLayerOptions>());
        return app;
    }
}
