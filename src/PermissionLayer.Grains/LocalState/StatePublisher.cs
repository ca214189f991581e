using PermissionLayer.Grains.Abstractions.Errors;

namespace PermissionLayer.Grains.LocalState;

/// <summary>
/// One activation's side of <see cref="ActivationStates{TState}"/>: publishes its state, withdraws it,
/// and holds it back while a change commits.
/// </summary>
internal sealed class StatePublisher<TState>(ActivationStates<TState> states, IGrainBase grain, string key) where TState : class
{
    private IGrainContext Activation => grain.GrainContext;

    private bool _committing;

    /// <summary>Publishes the state, unless a change is committing (then <see cref="CommitAsync"/> publishes at its end).</summary>
    public void Publish(TState state)
    {
        if (!_committing)
        {
            states.Publish(Activation, key, state);
        }
    }

    public void Withdraw() => states.Withdraw(Activation, key);

    /// <summary>
    /// Runs a change with the state withdrawn, then publishes <paramref name="current"/>. While it
    /// commits, PostgreSQL may already show the change's revision (Watch, <c>min_revision</c>, the
    /// revision a decision reports), so decisions on this silo must not read the state from before it:
    /// they call the grain instead and queue behind the change's turn. A failed change republishes the
    /// unchanged state. A change that failed because storage was unavailable may still have
    /// committed (the connection broke after COMMIT, before its answer): the activation's memory can
    /// no longer be trusted, so it stays withdrawn and the activation is dropped; the next call loads
    /// what PostgreSQL holds.
    /// </summary>
    public Task<T> CommitAsync<T>(Func<Task<T>> change, Func<TState> current) => WithdrawnWhileAsync(change, current, republishOnFailure: true);

    /// <summary>
    /// Re-reads the activation's state after a change committed elsewhere (an import, a batch), with
    /// the state withdrawn meanwhile; if the read fails, the state stays withdrawn and the activation
    /// is dropped (<see cref="StorageGuard.ReloadOrDeactivateAsync"/>).
    /// </summary>
    public Task ReloadAsync(Func<Task> load, Func<TState> current) =>
        grain.ReloadOrDeactivateAsync(() => WithdrawnWhileAsync(async () =>
        {
            await load();
            return true;
        }, current, republishOnFailure: false));

    private async Task<T> WithdrawnWhileAsync<T>(Func<Task<T>> change, Func<TState> current, bool republishOnFailure)
    {
        Withdraw();
        _committing = true;
        var publishAtEnd = republishOnFailure;
        try
        {
            var result = await change();
            publishAtEnd = true;
            return result;
        }
        catch (EntitlementStoreUnavailableException)
        {
            publishAtEnd = false; // committed or not: unknown
            grain.DeactivateOnIdle();
            throw;
        }
        finally
        {
            _committing = false;
            if (publishAtEnd)
            {
                Publish(current());
            }
        }
    }
}
