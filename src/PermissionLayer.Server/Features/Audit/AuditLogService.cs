using PermissionLayer.Storage.Audit;

namespace PermissionLayer.Server.Features.Audit;

/// <summary>
/// Runs the audit writer for the life of the host. Starting writes what the last shutdown spilled
/// before Kestrel takes calls (it starts after this service). Stopping flushes everything queued:
/// Kestrel stops first (it is registered last), so no new decisions arrive while the queue drains;
/// what the shutdown timeout leaves unwritten is spilled.
/// </summary>
public sealed class AuditLogService(AuditLogWriter writer, DecisionLog log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        writer.Start();
        await writer.ReplaySpilledAsync(log, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => writer.StopAsync(cancellationToken);
}
