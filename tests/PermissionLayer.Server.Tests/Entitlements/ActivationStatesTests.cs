using PermissionLayer.Grains.LocalState;
using PermissionLayer.Testing.Time;

namespace PermissionLayer.Server.Tests.Entitlements;

/// <summary>The rules of the silo-local registry of activation states that decisions read.</summary>
public sealed class ActivationStatesTests
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));
    private readonly object _activation = new();
    private readonly TaskCompletionSource _deactivated = new();

    [Fact]
    public void A_published_state_is_read_until_its_activation_ends()
    {
        var states = new ActivationStates<string>(_clock);
        states.Publish(_activation, () => !_deactivated.Task.IsCompleted, "Practitioner/a", "v1");
        Assert.True(states.TryGet("Practitioner/a", out var state));
        Assert.Equal("v1", state);

        _deactivated.SetResult();
        Assert.False(states.TryGet("Practitioner/a", out _));
        Assert.Equal(0, states.Count); // an ended activation's state is not kept
    }

    [Fact]
    public void Only_the_activation_that_published_a_state_withdraws_it()
    {
        var states = new ActivationStates<string>(_clock);
        states.Publish(_activation, () => !_deactivated.Task.IsCompleted, "Practitioner/a", "v1");
        var newer = new object();
        states.Publish(newer, () => true, "Practitioner/a", "v2");

        states.Withdraw(_activation, "Practitioner/a"); // the older activation ending late
        Assert.True(states.TryGet("Practitioner/a", out var state));
        Assert.Equal("v2", state);

        states.Withdraw(newer, "Practitioner/a");
        Assert.False(states.TryGet("Practitioner/a", out _));
        Assert.Equal(0, states.Count);
    }

    [Fact]
    public void Once_per_call_interval_one_read_is_declined_so_that_the_grain_is_called_and_stays_active()
    {
        var states = new ActivationStates<string>(_clock);
        states.Publish(_activation, () => !_deactivated.Task.IsCompleted, "Client/app", "v1");
        _clock.Advance(ActivationStates<string>.CallInterval - TimeSpan.FromSeconds(1));
        Assert.True(states.TryGet("Client/app", out _));

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(states.TryGet("Client/app", out _)); // this decision calls the grain
        Assert.True(states.TryGet("Client/app", out _)); // the others keep reading
        Assert.True(states.TryGet("Client/app", out _));

        _clock.Advance(ActivationStates<string>.CallInterval);
        Assert.False(states.TryGet("Client/app", out _));
    }
}
