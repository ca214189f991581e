using PermissionLayer.Grains.Abstractions.Errors;
using PermissionLayer.Grains.Revisions;
using PermissionLayer.Storage.Changes;

namespace PermissionLayer.Grains.LocalState;

/// <summary>
/// The one lifecycle of every grain that holds entitlement facts in memory (principals, client
/// registrations, patients' consents, patient sets, care teams): it owns the activation's immutable
/// snapshot and is the only code that replaces it.
/// </summary>
/// <remarks>
/// The contract:
/// <list type="number">
/// <item><b>Load.</b> On activation the grain registers with this silo's <see cref="LocalActivations"/>,
/// notes the applied revision W, then loads its snapshot from PostgreSQL (so it holds every change up
/// to W) and publishes it (when the grain kind is read without calls, <see cref="ActivationStates{TState}"/>).</item>
/// <item><b>Change.</b> A change through the grain withdraws the published snapshot, commits to
/// PostgreSQL, swaps in the new snapshot, republishes it, lets <see cref="RevisionSync"/> apply its
/// revision to this silo, and only then is acknowledged. A change that fails otherwise republishes the
/// unchanged snapshot.</item>
/// <item><b>Lost answers.</b> A change that failed because storage was unavailable may have committed
/// (the connection broke after COMMIT): the activation is untrusted from then on — withdrawn, never
/// republished as it is, reloaded before any further answer, and deactivated. A retry of such a change
/// is detected by its <c>expected_revision</c> (the entity's last change is then the lost one).</item>
/// <item><b>External changes.</b> A change committed elsewhere (a batch, an import, another silo's
/// catch-up of either) reaches the activation as "stale since revision R" from this silo's catch-up
/// or from the batch's explicit reload; a stale activation is no longer read through its published
/// snapshot, and its next call first withdraws, re-reads and republishes — or, if the read fails,
/// stays withdrawn and deactivates. The silo reports R only after marking.</item>
/// <item><b>Every call</b> first ensures the activation is current: caught up to the revision the
/// caller's decision reports (<see cref="RevisionContext"/>), and reloaded if stale.</item>
/// </list>
/// Grain methods run on the activation's scheduler; <see cref="Changed"/> is the one member called from
/// other threads (a catch-up), and it only raises a watermark.
/// </remarks>
internal sealed class GrainLifecycle<TSnapshot> : IStaleable where TSnapshot : class
{
    /// <summary>Own revisions remembered so that the catch-up's sight of them does not force a reload; older ones only cost one.</summary>
    private const int OwnRevisionsKept = 64;

    private readonly IGrainBase _grain;
    private readonly ChangedEntity _entity;
    private readonly LifecycleServices _services;
    private readonly ActivationStates<TSnapshot>? _published;
    private readonly Func<CancellationToken, Task<TSnapshot>> _load;
    private readonly Lock _gate = new();
    private readonly SortedSet<long> _own = [];
    private TSnapshot _snapshot;
    private long _loadedAt;
    private long _staleAt;
    private volatile bool _untrusted;
    private Task? _reloading;

    /// <param name="grain">The activation.</param>
    /// <param name="entity">The entity it holds; its key is the grain key (and the published state's).</param>
    /// <param name="services">This silo's shared parts.</param>
    /// <param name="published">Where decisions on this silo read the snapshot without a call, or null for grains asked only by calls.</param>
    /// <param name="empty">The snapshot before the first load.</param>
    /// <param name="load">Reads the snapshot from PostgreSQL (storage failures as <see cref="EntitlementStoreUnavailableException"/>).</param>
    public GrainLifecycle(
        IGrainBase grain, ChangedEntity entity, LifecycleServices services, ActivationStates<TSnapshot>? published, TSnapshot empty,
        Func<CancellationToken, Task<TSnapshot>> load)
    {
        _grain = grain;
        _entity = entity;
        _services = services;
        _published = published;
        _snapshot = empty;
        _load = load;
    }

    /// <summary>The snapshot the activation answers from (immutable: a call keeps the one it started with).</summary>
    public TSnapshot Snapshot => _snapshot;

    /// <summary>Stale (a change since the load has not been applied) or untrusted (a lost answer).</summary>
    public bool IsStale => _untrusted || Volatile.Read(ref _staleAt) > Volatile.Read(ref _loadedAt);

    /// <summary>From the grain's OnActivateAsync.</summary>
    public async Task ActivateAsync(CancellationToken cancellationToken)
    {
        _services.Activations.Register(_entity, this);
        try
        {
            var from = _services.Clock.Current;
            _snapshot = await _load(cancellationToken);
            Volatile.Write(ref _loadedAt, from);
        }
        catch
        {
            _services.Activations.Unregister(_entity, this);
            throw;
        }
        if (!cancellationToken.IsCancellationRequested) // a timed-out activation is being abandoned
        {
            Publish();
        }
    }

    /// <summary>From the grain's OnDeactivateAsync.</summary>
    public void Deactivate()
    {
        Withdraw();
        _services.Activations.Unregister(_entity, this);
    }

    /// <summary>
    /// The grain's call filter: every call but <c>Reload</c> (which re-reads anyway) first ensures the
    /// activation is current (<see cref="EnsureCurrentAsync"/>).
    /// </summary>
    public async Task InvokeAsync(IIncomingGrainCallContext call)
    {
        if (call.InterfaceMethod?.Name != ReloadMethod)
        {
            await EnsureCurrentAsync();
        }
        await call.Invoke();
    }

    /// <summary>The name every lifecycle grain gives its forced re-read.</summary>
    private const string ReloadMethod = "Reload";

    /// <summary>Caught up to the caller's revision (<see cref="RevisionContext"/>), and not stale.</summary>
    public Task EnsureCurrentAsync()
    {
        var required = RevisionContext.Required;
        if (required > _services.Clock.Current)
        {
            return CatchUpThenReloadAsync(required);
        }
        return IsStale ? ReloadAsync() : Task.CompletedTask;
    }

    private async Task CatchUpThenReloadAsync(long required)
    {
        await StorageGuard.Run(() => _services.Sync.EnsureAtLeastAsync(required, CancellationToken.None));
        if (IsStale)
        {
            await ReloadAsync();
        }
    }

    /// <summary>
    /// The grain's <c>Reload</c>, after a change committed elsewhere: first catches this silo up to the
    /// revision the caller carries (a batch's or import's, so the re-read is not marked stale again by
    /// the silo's next catch-up), then re-reads (<see cref="ReloadAsync"/>).
    /// </summary>
    public async Task ReloadAfterAsync()
    {
        var required = RevisionContext.Required;
        if (required > _services.Clock.Current)
        {
            await StorageGuard.Run(() => _services.Sync.EnsureAtLeastAsync(required, CancellationToken.None));
        }
        await ReloadAsync();
    }

    /// <summary>
    /// Withdraws, re-reads and republishes; if the read fails, the activation stays withdrawn and
    /// deactivates, and the failure goes to the caller. Concurrent callers (interleaving reads) share one reload.
    /// </summary>
    public Task ReloadAsync()
    {
        if (_reloading is { } running)
        {
            return running;
        }
        var reload = ReloadOnceAsync();
        if (!reload.IsCompleted)
        {
            _reloading = reload;
        }
        return reload;
    }

    private async Task ReloadOnceAsync()
    {
        try
        {
            Withdraw();
            var from = _services.Clock.Current;
            try
            {
                _snapshot = await _load(CancellationToken.None);
            }
            catch
            {
                Distrust();
                throw;
            }
            Volatile.Write(ref _loadedAt, from);
            _untrusted = false;
            Publish();
        }
        finally
        {
            _reloading = null;
        }
    }

    /// <summary>
    /// Runs a change (see the contract): <paramref name="commit"/> commits to PostgreSQL and returns the
    /// new snapshot, built from the one it is given.
    /// </summary>
    public async Task<T> ChangeAsync<T>(Func<TSnapshot, Task<AppliedChange<TSnapshot, T>>> commit)
    {
        // While it commits, PostgreSQL may already show its revision to other readers; decisions here
        // call the grain instead of reading the snapshot from before it, and queue behind this change.
        Withdraw();
        AppliedChange<TSnapshot, T> applied;
        try
        {
            applied = await commit(_snapshot);
        }
        catch (EntitlementStoreUnavailableException)
        {
            Distrust(); // committed or not: unknown
            throw;
        }
        catch
        {
            Publish();
            throw;
        }
        lock (_gate)
        {
            _own.Add(applied.Revision);
            if (_own.Count > OwnRevisionsKept)
            {
                _own.Remove(_own.Min);
            }
        }
        _snapshot = applied.Snapshot;
        Publish();
        await _services.Sync.AppliedLocallyAsync(applied.Revision, applied.Others ?? []);
        return applied.Result;
    }

    /// <summary>A change committed elsewhere altered the entity (called by the catch-up, from any thread).</summary>
    public void Changed(long revision)
    {
        lock (_gate)
        {
            if (_own.Remove(revision))
            {
                return; // this activation's own change: its snapshot holds it
            }
            if (revision > _staleAt)
            {
                Volatile.Write(ref _staleAt, revision);
            }
        }
    }

    /// <summary>A lost answer or a failed reload: memory that may be behind PostgreSQL is never read again.</summary>
    private void Distrust()
    {
        _untrusted = true;
        Withdraw();
        _grain.DeactivateOnIdle();
    }

    private void Publish() => _published?.Publish(_grain.GrainContext, _entity.Key, _snapshot, () => !IsStale);

    private void Withdraw() => _published?.Withdraw(_grain.GrainContext, _entity.Key);
}
