namespace PermissionLayer.Grains.Batches;

/// <summary>
/// Runs between the COMMIT of a batch or an import and its grains' reloads; does nothing in production.
/// A seam for tests: one that throws as storage-unavailable stands for an answer lost after COMMIT;
/// one that never returns, or throws anything else, stands for the silo crashing before the reloads.
/// </summary>
public class AfterCommitHook
{
    /// <param name="revision">The last revision the change committed.</param>
    public virtual Task CommittedAsync(long revision) => Task.CompletedTask;
}
