using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PermissionLayer.Grains.LocalState;
using PermissionLayer.Storage;
using PermissionLayer.Storage.Changes;

namespace PermissionLayer.Grains.Revisions;

/// <summary>
/// Brings this silo's <see cref="RevisionClock"/> up to what PostgreSQL has committed by applying the
/// change log: it reads the changes after the applied revision, marks this silo's activations of the
/// entities each altered as stale (their published state stops being read; their next call reloads
/// first), and only then advances the clock past them.
/// </summary>
/// <remarks>
/// This is what makes a revision "applied before visible" on every silo, whoever wrote the change:
/// a batch or import committed on another silo, or one whose silo crashed before its grains reloaded,
/// reaches this silo's activations at its next catch-up. Catch-ups run every second
/// (<see cref="RevisionRefresher"/>), for a <c>min_revision</c> beyond the applied revision, for Watch,
/// and for a grain call that carries a revision this silo has not applied (<see cref="RevisionContext"/>);
/// never on a decision that asks for nothing newer. One runs at a time.
/// </remarks>
public sealed class RevisionSync(
    RevisionClock clock, EntitlementChangeReader changes, LocalActivations activations,
    IDbContextFactory<PermissionLayerDbContext> contexts, ILogger<RevisionSync> logger)
{
    private const int PageSize = 1000;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _started;

    /// <summary>
    /// Ensures the applied revision is at least <paramref name="minimum"/>, catching up if needed.
    /// Returns false when PostgreSQL has not committed that revision.
    /// </summary>
    public async Task<bool> EnsureAtLeastAsync(long minimum, CancellationToken cancellationToken)
    {
        if (clock.Current >= minimum)
        {
            return true;
        }
        await RefreshAsync(cancellationToken);
        return clock.Current >= minimum;
    }

    /// <summary>Applies every change committed so far (see the remarks); storage failures as <see cref="StorageUnavailableException"/>.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        // A catch-up that ran while this one waited may not have seen the latest commits, so this one
        // still reads, from where that one stopped.
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_started)
            {
                await StartAsync(cancellationToken);
            }
            IReadOnlyList<ChangedEntities> page;
            do
            {
                page = await changes.EntitiesAfterAsync(clock.Current, PageSize, cancellationToken);
                foreach (var change in page)
                {
                    activations.Changed(change.Revision, change.Entities);
                    clock.Advance(change.Revision);
                }
            }
            while (page.Count == PageSize);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// A write through a grain on this silo has committed <paramref name="revision"/> and the grain
    /// holds it; <paramref name="others"/> are the other entities it altered (a care team's members).
    /// Marks this silo's activations of those, then advances the clock: at once when the write is the
    /// revision after the applied one, else by a catch-up (the revisions in between may be anyone's).
    /// A failed catch-up leaves the clock where it was (the write is committed and applied; the clock
    /// catches up at the next refresh), so the write is still acknowledged.
    /// </summary>
    internal async Task AppliedLocallyAsync(long revision, IReadOnlyList<ChangedEntity> others)
    {
        activations.Changed(revision, others);
        if (clock.Current >= revision || clock.TryAdvanceTo(revision))
        {
            return;
        }
        try
        {
            await RefreshAsync(CancellationToken.None);
        }
        catch (StorageUnavailableException e)
        {
            logger.LogWarning("Revision {Revision} is applied here, but the change log could not be read to report it yet: {Error}", revision, e.Message);
        }
    }

    /// <summary>
    /// The first catch-up of the process: nothing before the latest revision needs applying when no
    /// activation has registered (each loads what PostgreSQL holds), so the clock starts there rather
    /// than reading the whole change log. An activation registered meanwhile makes it read from 0.
    /// </summary>
    private async Task StartAsync(CancellationToken cancellationToken)
    {
        var registrations = activations.Registrations;
        if (registrations == 0)
        {
            var latest = await LatestAsync(cancellationToken);
            if (activations.Registrations == 0)
            {
                clock.Advance(latest);
            }
        }
        _started = true;
    }

    private async Task<long> LatestAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            return await ChangeLog.CurrentAsync(db, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new StorageUnavailableException("could not read the committed revision: " + e.Message, e);
        }
    }
}
