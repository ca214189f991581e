using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PermissionLayer.Grains.Revisions;

/// <summary>
/// Keeps <see cref="RevisionClock"/> near PostgreSQL's committed revision: at start (so a restarted
/// node does not report revision 0) and then every second (so a node hears of writes committed
/// through other nodes). Callers that need a specific revision use <see cref="RevisionSync"/> directly.
/// </summary>
public sealed class RevisionRefresher(RevisionSync sync, TimeProvider time, ILogger<RevisionRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        do
        {
            try
            {
                await sync.RefreshAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Could not refresh the committed revision: {Error}", e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
