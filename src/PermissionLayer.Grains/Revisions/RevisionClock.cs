namespace PermissionLayer.Grains.Revisions;

/// <summary>
/// The highest entitlement revision this silo knows to be committed <em>and applied</em>. Grains
/// advance it after their own writes; <see cref="RevisionSync"/> advances it from PostgreSQL when a
/// caller asks for a revision this silo has not heard of. Decisions report it, so a reported revision
/// R means "every change up to R that was acknowledged is visible" — grains apply a write before
/// acknowledging it.
/// </summary>
/// <remarks>
/// A batch or an import commits many entities at once and only then tells their grains to reload. In
/// between, PostgreSQL already shows its revision (to Watch, to this clock's refresh) while grains
/// still answer from before it. While such a change runs on this silo (<see cref="BeginExternalChange"/>)
/// the clock holds still at what it was before the change began; what it observes meanwhile takes
/// effect when the last such change ends. A decision asking for <c>min_revision</c> beyond the held
/// value waits for that (<see cref="AppliedAsync"/>) instead of reading memory the change has not reached.
/// </remarks>
public sealed class RevisionClock
{
    private readonly Lock _gate = new();
    private long _observed;
    private long _held;
    private int _pending;
    private TaskCompletionSource _applied = NewApplied();

    public long Current
    {
        get
        {
            lock (_gate)
            {
                return _pending > 0 ? _held : _observed;
            }
        }
    }

    public void Observe(long revision)
    {
        lock (_gate)
        {
            _observed = Math.Max(_observed, revision);
        }
    }

    /// <summary>A change whose grains reload after its commit starts; dispose it once they have.</summary>
    public IDisposable BeginExternalChange()
    {
        lock (_gate)
        {
            if (_pending++ == 0)
            {
                _held = _observed;
            }
        }
        return new ExternalChange(this);
    }

    /// <summary>Completes when no batch or import is between its commit and its reloads on this silo.</summary>
    public Task AppliedAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _pending == 0 ? Task.CompletedTask : _applied.Task.WaitAsync(cancellationToken);
        }
    }

    private void End()
    {
        TaskCompletionSource? done = null;
        lock (_gate)
        {
            if (--_pending == 0)
            {
                done = _applied;
                _applied = NewApplied();
            }
        }
        done?.SetResult();
    }

    private static TaskCompletionSource NewApplied() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class ExternalChange(RevisionClock clock) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                clock.End();
            }
        }
    }
}
