using Microsoft.Extensions.Diagnostics.HealthChecks;
using PermissionLayer.Server.Hosting;
using PermissionLayer.Storage.Audit;

namespace PermissionLayer.Server.Features.Health;

/// <summary>
/// Unhealthy while the audit writer cannot write: every decision then fails closed (UNAVAILABLE),
/// even with PostgreSQL answering (a table gone, a full disk), so a balancer must not send traffic
/// here. Quarantined records do not make it unhealthy (the writer goes on); they are reported.
/// </summary>
public sealed class AuditWriterHealthCheck(AuditLogWriter writer, PermissionLayerOptions options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (options.Audit.ModeValue == AuditMode.Off)
        {
            return HealthCheckResult.Healthy("audit off");
        }
        var data = new Dictionary<string, object> { ["quarantined"] = writer.Quarantined };
        try
        {
            return await writer.CanWriteAsync(cancellationToken)
                ? HealthCheckResult.Healthy(writer.Quarantined == 0 ? null : $"{writer.Quarantined} audit record(s) quarantined", data)
                : HealthCheckResult.Unhealthy("the audit writer cannot write: decisions fail closed", data: data);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("the audit writer cannot write: decisions fail closed", e, data);
        }
    }
}
