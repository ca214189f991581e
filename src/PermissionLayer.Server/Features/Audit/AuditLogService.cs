using PermissionLayer.Storage.Audit;

namespace PermissionLayer.Server.Features.Audit;

/// <summary>
/// Runs the audit writer for the life of the host. Stopping flushes everything queued: Kestrel
/// stops first (it is registered last), so no new decisions arrive while the queue drains.
/// </summary>
public sealed class AuditLogService(AuditLogWriter writer) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        writer.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => writer.StopAsync(cancellationToken);
}
