using System.Runtime.ExceptionServices;

namespace PermissionLayer.Grains.Batches;

/// <summary>
/// Runs the grain reloads after a batch's COMMIT a few at a time rather than one after another: a
/// batch of a thousand principals is a thousand reloads, each a round trip to PostgreSQL. As
/// <see cref="GrainReloads.AllAsync"/>: every reload is asked even after one fails, then the first failure is rethrown.
/// </summary>
internal static class BoundedReloads
{
    public static async Task AllAsync(IReadOnlyList<Func<Task>> reloads, int parallelism)
    {
        Exception? failed = null;
        var next = -1;
        async Task WorkerAsync()
        {
            for (var i = Interlocked.Increment(ref next); i < reloads.Count; i = Interlocked.Increment(ref next))
            {
                try
                {
                    await reloads[i]();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Interlocked.CompareExchange(ref failed, e, null);
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, Math.Min(parallelism, reloads.Count)).Select(_ => WorkerAsync()));
        if (failed is not null)
        {
            ExceptionDispatchInfo.Throw(failed);
        }
    }
}
