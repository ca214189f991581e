using System.Collections.Concurrent;

namespace PermissionLayer.Grains.LocalState;

/// <summary>
/// The in-memory state of this silo's activations of one grain type, published for the decision
/// path to read without a grain call. A grain publishes an immutable state object after every change
/// (a change is acknowledged only after that) and withdraws it when its activation ends or can no
/// longer be trusted (a failed reload), so what is here is exactly what the activation itself would
/// answer from, and a revoke acknowledged by the activation is seen by every decision that starts
/// after it. A key with no published state (the activation is on another silo, or not active) is
/// asked through its grain as before.
/// </summary>
/// <remarks>
/// Why: a Check asked four in-process grain calls (client registration, client, user, the patient's
/// consent); each one allocates messages, copies arguments and hops to the activation's scheduler
/// and back, and together they were most of a Check's own CPU.
/// </remarks>
internal sealed class ActivationStates<TState>(TimeProvider time, ILocalActivationStatusChecker? activations = null) where TState : class
{
    /// <summary>
    /// Orleans collects an activation that has had no call for its collection age (15 minutes by
    /// default); reads of its published state are not calls. So once per interval a read is declined
    /// and that decision asks the grain itself: an activation read without pause stays active, instead
    /// of being collected and activated again cold from PostgreSQL in the middle of the load.
    /// </summary>
    public static readonly TimeSpan CallInterval = TimeSpan.FromMinutes(1);

    private sealed class Published(TState state, object owner, Func<bool> current, long calledAt)
    {
        public TState State => state;
        public object Owner => owner;
        public Func<bool> IsCurrent => current;
        public long CalledAt = calledAt;
    }

    private readonly ConcurrentDictionary<string, Published> _states = new(StringComparer.Ordinal);

    /// <summary>
    /// The key's state, if an activation on this silo published it and is still this silo's valid
    /// activation of the grain. Its OnDeactivateAsync withdraws the state, but Orleans skips that
    /// method in some ends (a stuck or still-activating activation), so the reader also asks the
    /// runtime: an activation stops being locally active as soon as it starts deactivating, before it
    /// leaves the grain directory and another can take its place. False once per
    /// <see cref="CallInterval"/> too, so that the caller calls the grain.
    /// </summary>
    public bool TryGet(string key, out TState state)
    {
        state = null!;
        if (!_states.TryGetValue(key, out var published))
        {
            return false;
        }
        if (!published.IsCurrent())
        {
            _states.TryRemove(new KeyValuePair<string, Published>(key, published));
            return false;
        }
        var now = time.GetUtcNow().UtcTicks;
        if (now - Volatile.Read(ref published.CalledAt) >= CallInterval.Ticks)
        {
            Volatile.Write(ref published.CalledAt, now);
            return false;
        }
        state = published.State;
        return true;
    }

    /// <summary>
    /// Replaces the key's state; called by its activation, inside its turn (a call, so it counts as one).
    /// <paramref name="fresh"/> is asked on every read: false once a change since the state's load is
    /// known to this silo (<see cref="GrainLifecycle{TSnapshot}"/>), so no read sees a state the silo's
    /// reported revision has overtaken.
    /// </summary>
    public void Publish(IGrainContext activation, string key, TState state, Func<bool> fresh) =>
        Publish(activation, () => fresh() && !activation.Deactivated.IsCompleted && (activations?.IsLocallyActivated(activation.GrainId) ?? true), key, state);

    /// <summary>For tests: <paramref name="current"/> says whether the owner is still the valid activation.</summary>
    internal void Publish(object owner, Func<bool> current, string key, TState state) =>
        _states[key] = new Published(state, owner, current, time.GetUtcNow().UtcTicks);

    /// <summary>Removes the key's state if <paramref name="owner"/> (an activation) published it.</summary>
    public void Withdraw(object owner, string key)
    {
        if (_states.TryGetValue(key, out var published) && ReferenceEquals(published.Owner, owner))
        {
            _states.TryRemove(new KeyValuePair<string, Published>(key, published));
        }
    }

    /// <summary>Published states on this silo (for tests and diagnostics).</summary>
    public int Count => _states.Count;
}
