using PermissionLayer.Server.Hosting;
using PermissionLayer.Storage.Audit;

namespace PermissionLayer.Server.Features.Audit;

/// <summary>
/// Once at start and then daily: creates the monthly partitions ahead of need and applies the
/// retention period. Failures are logged and retried next time; the writer creates a missing
/// partition itself, so a skipped run never loses a decision.
/// </summary>
public sealed class AuditMaintenance(
    AuditDatabase database, AuditPartitions partitions, AuditRetention retention, PermissionLayerOptions options,
    TimeProvider clock, ILogger<AuditMaintenance> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromDays(1), clock);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Audit maintenance failed; it runs again tomorrow");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var current = AuditPartitions.MonthOf(now);
        await using (var connection = await database.DataSource.OpenConnectionAsync(cancellationToken))
        {
            await partitions.EnsureAsync(connection, Enumerable.Range(0, options.Audit.PartitionsAhead + 1).Select(current.AddMonths), cancellationToken);
        }
        if (options.Audit.RetentionDays > 0)
        {
            await retention.ApplyAsync(now.AddDays(-options.Audit.RetentionDays), cancellationToken);
        }
    }
}
