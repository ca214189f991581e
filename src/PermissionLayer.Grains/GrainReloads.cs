using System.Runtime.ExceptionServices;

namespace PermissionLayer.Grains;

/// <summary>
/// Tells every grain a committed change touched to reload. Each is asked even after one fails (a grain
/// whose reload fails drops its activation and reloads on its next call), then the first failure is
/// rethrown so the caller hears of it, though the change itself is committed.
/// </summary>
public static class GrainReloads
{
    public static async Task AllAsync(IEnumerable<Func<Task>> reloads)
    {
        Exception? failed = null;
        foreach (var reload in reloads)
        {
            try
            {
                await reload();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failed ??= e;
            }
        }
        if (failed is not null)
        {
            ExceptionDispatchInfo.Throw(failed);
        }
    }
}
