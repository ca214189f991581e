using Microsoft.EntityFrameworkCore;
using PermissionLayer.Storage;
using PermissionLayer.Storage.Changes;

namespace PermissionLayer.Grains.Revisions;

/// <summary>Brings <see cref="RevisionClock"/> up to what PostgreSQL has committed.</summary>
public sealed class RevisionSync(RevisionClock clock, IDbContextFactory<PermissionLayerDbContext> contexts)
{
    /// <summary>
    /// Ensures the clock is at least <paramref name="minimum"/>. Returns false when PostgreSQL has not
    /// committed that revision (the caller asked for a revision that does not exist yet).
    /// </summary>
    public async Task<bool> EnsureAtLeastAsync(long minimum, CancellationToken cancellationToken)
    {
        if (clock.Current >= minimum)
        {
            return true;
        }
        await RefreshAsync(cancellationToken);
        if (clock.Current < minimum)
        {
            // Committed, perhaps, by a batch or import whose grains are still reloading: wait for them.
            await clock.AppliedAsync(cancellationToken);
        }
        return clock.Current >= minimum;
    }

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            clock.Observe(await ChangeLog.CurrentAsync(db, cancellationToken));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new StorageUnavailableException("could not read the committed revision: " + e.Message, e);
        }
    }
}
