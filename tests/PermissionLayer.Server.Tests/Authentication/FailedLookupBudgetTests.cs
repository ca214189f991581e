using PermissionLayer.Server.Features.Authentication;
using PermissionLayer.Testing.Time;

namespace PermissionLayer.Server.Tests.Authentication;

/// <summary>The per-source budget of failed key lookups and the memory of unknown key ids.</summary>
public sealed class FailedLookupBudgetTests
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_source_spends_its_burst_then_gets_lookups_back_at_the_refill_rate()
    {
        var budget = new FailedLookupBudget(_clock, burst: 3, perSecond: 2);
        Assert.True(budget.TryTake("10.0.0.1") && budget.TryTake("10.0.0.1") && budget.TryTake("10.0.0.1"));
        Assert.False(budget.TryTake("10.0.0.1"));
        Assert.True(budget.TryTake("10.0.0.2")); // another source has its own bucket
        _clock.Advance(TimeSpan.FromMilliseconds(500));
        Assert.True(budget.TryTake("10.0.0.1"));
        Assert.False(budget.TryTake("10.0.0.1"));
    }

    [Fact]
    public void A_lookup_that_found_a_genuine_key_costs_nothing()
    {
        var budget = new FailedLookupBudget(_clock, burst: 1, perSecond: 0);
        Assert.True(budget.TryTake("pep"));
        budget.Refund("pep");
        Assert.True(budget.TryTake("pep"));
        Assert.False(budget.TryTake("pep"));
    }

    [Fact]
    public void An_unknown_key_id_is_remembered_for_a_while_and_the_set_stays_bounded()
    {
        var unknown = new UnknownKeyIds(_clock, capacity: 10);
        unknown.Add("0123456789ab");
        Assert.True(unknown.Contains("0123456789ab"));
        _clock.Advance(UnknownKeyIds.Lifetime);
        Assert.False(unknown.Contains("0123456789ab"));
        for (var i = 0; i < 100; i++)
        {
            unknown.Add($"id{i}");
        }
        Assert.InRange(unknown.Count, 1, 10);
        Assert.True(unknown.Contains("id99"));
    }
}
