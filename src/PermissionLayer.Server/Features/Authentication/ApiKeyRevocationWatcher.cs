namespace PermissionLayer.Server.Features.Authentication;

/// <summary>Drops revoked keys from every node's <see cref="ApiKeyCache"/> within a few seconds.</summary>
public sealed class ApiKeyRevocationWatcher(
    ApiKeyCache cache, Storage.ApiKeys.ApiKeyStore store, TimeProvider time, ILogger<ApiKeyRevocationWatcher> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Look back past the last poll so that clock skew between nodes cannot hide a revocation.
        var since = time.GetUtcNow().AddMinutes(-1);
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var polledAt = time.GetUtcNow();
                foreach (var id in await store.RevokedSinceAsync(since, stoppingToken))
                {
                    cache.Forget(id);
                }
                since = polledAt.AddMinutes(-1);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not poll for revoked API keys; will retry");
            }
        }
    }
}
