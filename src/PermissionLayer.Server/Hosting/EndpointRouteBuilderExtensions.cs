using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using PermissionLayer.Server.Features.Admin;
using PermissionLayer.Server.Features.Audit;
using PermissionLayer.Server.Features.Decisions;
using PermissionLayer.Server.Features.Telemetry;

namespace PermissionLayer.Server.Hosting;

public static class EndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the gRPC services (and their JSON transcoding), health, reflection, the metrics scrape and the console. <c>/healthz</c>
    /// runs every check (PostgreSQL answers, the audit writer can write): without either decisions
    /// fail closed, so it is the readiness signal. <c>/livez</c> runs none: it answers while the
    /// process serves requests, so an orchestrator restarts a hung process but not every node
    /// during a database outage.
    /// </summary>
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
        app.MapHealthChecks("/livez", new HealthCheckOptions { Predicate = _ => false });
        app.MapPermissionLayerTelemetry(app.Services.GetRequiredService<PermissionLayerOptions>());
        // The privacy and admin console (Features/Console): server-rendered pages under /console.
        app.MapRazorPages();
        return app;
    }
}
