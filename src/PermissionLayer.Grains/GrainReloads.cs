using System.Runtime.ExceptionServices;
using PermissionLayer.Grains.Abstractions.Errors;
using PermissionLayer.Grains.Batches;
using PermissionLayer.Grains.Revisions;
using PermissionLayer.Storage;

namespace PermissionLayer.Grains;

/// <summary>
/// The end of a change that commits many entities at once (an admin batch, an import): the grains it
/// touched, wherever they are active, re-read their facts before the caller is acknowledged, so that
/// the next decision anywhere sees it.
/// </summary>
/// <remarks>
/// The reloads are the fast path, not the guarantee: each silo applies the change from the change log
/// by itself before it reports its revision (<see cref="RevisionSync"/>), so a silo that crashes
/// between COMMIT and the reloads delays nothing beyond the other silos' next catch-up.
/// </remarks>
public static class GrainReloads
{
    /// <summary>
    /// Commits through <paramref name="commit"/>, then has every grain of <paramref name="reloadsOf"/> (given what committed)
    /// re-read, carrying the committed revision (each silo catches up to it first, so the re-read
    /// holds it), then brings this silo's applied revision to it. Each grain is asked even after one
    /// fails (a grain whose reload fails drops its activation and reloads on its next call); then the
    /// first failure is rethrown, though the change itself is committed.
    /// </summary>
    /// <remarks>
    /// When the commit fails because storage is unavailable, it may still have committed (an answer
    /// lost after COMMIT): the grains it may have touched (<paramref name="reloadsOf"/> given null) are asked to reload all the same, so that each re-reads what
    /// PostgreSQL holds or — while it stays unavailable — drops its activation; then the failure goes on.
    /// </remarks>
    public static async Task<T> CommitThenReloadAsync<T>(
        Func<Task<T>> commit, Func<T, long> revisionOf, Func<T?, IEnumerable<Func<Task>>> reloadsOf, AfterCommitHook hook, RevisionSync sync)
        where T : class
    {
        T committed;
        try
        {
            committed = await commit();
            await hook.CommittedAsync(revisionOf(committed));
        }
        catch (Exception e) when (e is EntitlementStoreUnavailableException or StorageUnavailableException)
        {
            try
            {
                await AllAsync(reloadsOf(null));
            }
            catch (Exception failed) when (failed is not OperationCanceledException)
            {
                // Those that could not reload have dropped their activations: the point of asking.
            }
            throw;
        }
        var revision = revisionOf(committed);
        if (revision > 0)
        {
            RevisionContext.Require(revision);
            await AllAsync(reloadsOf(committed));
            await StorageGuard.Run(() => sync.EnsureAtLeastAsync(revision, CancellationToken.None));
        }
        return committed;
    }

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
