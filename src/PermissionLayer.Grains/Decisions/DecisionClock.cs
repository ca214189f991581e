namespace PermissionLayer.Grains.Decisions;

/// <summary>
/// The instant decisions and reach questions are evaluated at (grants and memberships are compared
/// with it; nothing acts at expiry). A type of its own rather than the host's <see cref="TimeProvider"/>
/// so that tests can move decision time without moving Orleans' or the background services' timers.
/// </summary>
public sealed class DecisionClock(TimeProvider source) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => source.GetUtcNow();
}
