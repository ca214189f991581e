using PermissionLayer.Grains.Revisions;

namespace PermissionLayer.Server.Tests.Entitlements;

/// <summary>
/// The applied revision only moves forward, and a write on this silo moves it by itself only when it
/// is the very next revision (anything in between must first be applied from the change log).
/// </summary>
public sealed class RevisionClockTests
{
    [Fact]
    public void The_clock_never_goes_back_and_skips_no_revision_on_its_own()
    {
        var clock = new RevisionClock();
        clock.Advance(10);
        clock.Advance(7);
        Assert.Equal(10, clock.Current);

        Assert.True(clock.TryAdvanceTo(11));
        Assert.False(clock.TryAdvanceTo(13)); // 12 is someone else's: not applied here yet
        Assert.Equal(11, clock.Current);
        Assert.False(clock.TryAdvanceTo(11));
        Assert.Equal(11, clock.Current);
    }
}
