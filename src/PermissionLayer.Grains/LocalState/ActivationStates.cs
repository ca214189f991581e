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
internal sealed class ActivationStates<TState> where TState : class
{
    private sealed record Published(TState State, IGrainContext Activation);

    private readonly ConcurrentDictionary<string, Published> _states = new(StringComparer.Ordinal);

    /// <summary>
    /// The key's state, if an activation on this silo published it and has not ended. Checking
    /// <see cref="IGrainContext.Deactivated"/> as well covers an activation whose end skipped its
    /// OnDeactivateAsync (which withdraws the state first, before the activation leaves the directory).
    /// </summary>
    public bool TryGet(string key, out TState state)
    {
        if (_states.TryGetValue(key, out var published) && !published.Activation.Deactivated.IsCompleted)
        {
            state = published.State;
            return true;
        }
        state = null!;
        return false;
    }

    /// <summary>Replaces the key's state; called by its activation, inside its turn.</summary>
    public void Publish(IGrainContext activation, string key, TState state) => _states[key] = new Published(state, activation);

    /// <summary>Removes the key's state if <paramref name="activation"/> published it.</summary>
    public void Withdraw(IGrainContext activation, string key)
    {
        if (_states.TryGetValue(key, out var published) && ReferenceEquals(published.Activation, activation))
        {
            _states.TryRemove(new KeyValuePair<string, Published>(key, published));
        }
    }

    /// <summary>Published states on this silo (for tests and diagnostics).</summary>
    public int Count => _states.Count;
}
