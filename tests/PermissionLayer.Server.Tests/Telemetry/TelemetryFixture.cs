using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Telemetry;

/// <summary>
/// One server with every export on, shared by the telemetry tests: the Prometheus scrape (setting on),
/// OTLP to <see cref="Collector"/> (configured by the standard OTEL_* variables only), and an in-memory
/// span exporter beside it. Its own server, not the shared fixture's: telemetry is off there by default.
/// </summary>
public sealed class TelemetryFixture : IAsyncLifetime
{
    public const string ClientId = "tel-app";
    public const string User = "Practitioner/tel-user";
    public const string GrantedPatient = "tel-p1";
    public const string OtherPatient = "tel-p2";

    private ServerHost? _host;

    public ServerHost Host => _host ?? throw new InvalidOperationException("the server has not started");
    public OtlpReceiver Collector { get; private set; } = null!;
    public LockedList<Activity> Spans { get; } = new();
    public ServerMeasurements Measurements { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("telemetry");
        Collector = new OtlpReceiver(FreePorts.Next());
        _host = await ServerHost.StartAsync(connectionString, new Dictionary<string, string?>
        {
            ["PermissionLayer:Telemetry:PrometheusScrape"] = "true",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Collector.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        }, services: services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans)));
        Measurements = new ServerMeasurements(Host.Services.GetRequiredService<IMeterFactory>());
        var admin = new AdminService.AdminServiceClient(Host.Channel);
        await admin.CreateGrantAsync(Requests.TrustClientForAllPatients(ClientId));
        await admin.CreateGrantAsync(Requests.Grant(User, "Patient/" + GrantedPatient));
    }

    public async ValueTask DisposeAsync()
    {
        Measurements?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        if (Collector is not null)
        {
            await Collector.DisposeAsync();
        }
    }
}
