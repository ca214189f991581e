namespace PermissionLayer.Grains.LocalState;

/// <summary>
/// One activation's side of <see cref="ActivationStates{TState}"/>: publishes its state, withdraws it,
/// and holds it back while a change commits.
/// </summary>
internal sealed class StatePublisher<TState>(ActivationStates<TState> states, IGrainContext activation, string key) where TState : class
{
    private bool _committing;

    /// <summary>Publishes the state, unless a change is committing (then <see cref="CommitAsync"/> publishes at its end).</summary>
    public void Publish(TState state)
    {
        if (!_committing)
        {
            states.Publish(activation, key, state);
        }
    }

    public void Withdraw() => states.Withdraw(activation, key);

    /// <summary>
    /// Runs a change with the state withdrawn, then publishes <paramref name="current"/>. While it
    /// commits, PostgreSQL may already show the change's revision (Watch, <c>min_revision</c>, the
    /// revision a decision reports), so decisions on this silo must not read the state from before it:
    /// they call the grain instead and queue behind the change's turn. A failed change republishes the
    /// unchanged state, unless <paramref name="republishOnFailure"/> is false (a failed reload, whose
    /// activation is dropped).
    /// </summary>
    public async Task<T> CommitAsync<T>(Func<Task<T>> change, Func<TState> current, bool republishOnFailure = true)
    {
        Withdraw();
        _committing = true;
        var committed = false;
        try
        {
            var result = await change();
            committed = true;
            return result;
        }
        finally
        {
            _committing = false;
            if (committed || republishOnFailure)
            {
                Publish(current());
            }
        }
    }
}
