using PermissionLayer.Grains.Revisions;

namespace PermissionLayer.Server.Tests.Entitlements;

/// <summary>
/// While a batch or import is between its commit and its grains' reloads, the silo neither reports
/// its revision nor lets a min_revision request read memory the change has not reached.
/// </summary>
public sealed class RevisionClockTests
{
    [Fact]
    public async Task The_clock_holds_still_while_a_change_applies_and_releases_when_the_last_one_ends()
    {
        var clock = new RevisionClock();
        clock.Observe(10);
        var batch = clock.BeginExternalChange();
        var import = clock.BeginExternalChange();
        clock.Observe(12); // PostgreSQL already shows the batch's revision
        Assert.Equal(10, clock.Current);
        var applied = clock.AppliedAsync(TestContext.Current.CancellationToken);

        batch.Dispose();
        Assert.Equal(10, clock.Current);
        Assert.False(applied.IsCompleted);

        import.Dispose();
        import.Dispose(); // twice is once
        await applied;
        Assert.Equal(12, clock.Current);
        Assert.True(clock.AppliedAsync(TestContext.Current.CancellationToken).IsCompleted);

        var later = clock.BeginExternalChange();
        Assert.Equal(12, clock.Current);
        later.Dispose();
    }
}
