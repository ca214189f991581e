using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using PermissionLayer.Server.Hosting;

namespace PermissionLayer.Server.Features.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>The standard variable that turns OTLP export on (and says where to).</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// The instruments (always: any in-process listener may read them), and the OpenTelemetry SDK only
    /// when something exports: OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (every other
    /// <c>OTEL_*</c> variable is read by the exporter as the specification says), the Prometheus scrape
    /// endpoint when <c>Telemetry:PrometheusScrape</c> is on. Traces are recorded only for OTLP, which is
    /// the only place they can go; without either, decisions pay for nothing but the instruments.
    /// </summary>
    public static WebApplicationBuilder AddPermissionLayerTelemetry(this WebApplicationBuilder builder, PermissionLayerOptions options)
    {
        builder.Services.AddSingleton<DecisionTelemetry>();
        builder.Services.AddSingleton<AuditCommitMetrics>();
        builder.Services.AddSingleton<AuditQueueMetrics>();
        builder.Services.AddSingleton<SiloMetrics>();
        builder.Services.AddSingleton<AuthenticationMetrics>();
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]);
        var prometheus = options.Telemetry.PrometheusScrape;
        if (!otlp && !prometheus)
        {
            return builder;
        }
        var telemetry = builder.Services.AddOpenTelemetry();
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_SERVICE_NAME"]))
        {
            // OTEL_SERVICE_NAME, when set, names the service instead (read by the SDK's own detector).
            telemetry.ConfigureResource(resource => resource.AddService("permissionlayer"));
        }
        telemetry.WithMetrics(metrics =>
        {
            metrics.AddMeter(TelemetryNames.Source);
            if (otlp)
            {
                metrics.AddOtlpExporter();
            }
            if (prometheus)
            {
                metrics.AddPrometheusExporter();
            }
        });
        if (otlp)
        {
            // The ASP.NET Core server span continues the caller's trace (W3C traceparent in the gRPC
            // metadata, which are HTTP/2 headers); a Check's span is its child.
            telemetry.WithTracing(tracing => tracing
                .AddSource(TelemetryNames.Source)
                .AddAspNetCoreInstrumentation(aspnet =>
                {
                    aspnet.Filter = context => !IsProbe(context.Request.Path);
                    aspnet.EnrichWithHttpResponse = WithRouteForPath;
                })
                .AddOtlpExporter());
        }
        return builder;
    }

    /// <summary>Creates the observing instruments (they exist only once resolved) and maps <c>/metrics</c> when it is on.</summary>
    public static WebApplication MapPermissionLayerTelemetry(this WebApplication app, PermissionLayerOptions options)
    {
        _ = app.Services.GetRequiredService<AuditQueueMetrics>();
        _ = app.Services.GetRequiredService<SiloMetrics>();
        if (options.Telemetry.PrometheusScrape)
        {
            // On the HTTP port only, beside /healthz; no key (see TelemetryOptions.PrometheusScrape).
            app.MapPrometheusScrapingEndpoint("/metrics").RequireHost($"*:{options.Endpoints.HttpPort}");
        }
        return app;
    }

    /// <summary>
    /// A JSON path may name a patient or a principal (<c>/v1/audit/patients/p-anna/access</c>): the span
    /// keeps the route template instead (<c>/v1/audit/patients/{patient}/access</c>), as its name does.
    /// The query string is already redacted by the instrumentation.
    /// </summary>
    private static void WithRouteForPath(System.Diagnostics.Activity span, HttpResponse response)
    {
        var route = (response.HttpContext.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        span.SetTag("url.path", route ?? "");
    }

    /// <summary>Health probes and scrapes, which would otherwise be most of the traces.</summary>
    private static bool IsProbe(PathString path) => path.StartsWithSegments("/healthz") || path.StartsWithSegments("/metrics");
}
