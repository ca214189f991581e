namespace PermissionLayer.Server.Tests.Consistency.Running;

/// <summary>
/// The decision clock of the suite's server: set to each instant of a case in turn, back and forth
/// (ManualClock only moves forward, and cases sharing one server visit their own instants).
/// </summary>
internal sealed class SettableClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Set(DateTimeOffset instant) => Interlocked.Exchange(ref _ticks, instant.UtcTicks);
}
