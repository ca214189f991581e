using PermissionLayer.Core.Consents;
using PermissionLayer.Core.Sync;

namespace PermissionLayer.Core.Tests.Sync;

/// <summary>The instants at which time alone may change a requester's set.</summary>
public sealed class PeriodBoundariesTests
{
    private static readonly DateTimeOffset Now = new(2030, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset? H(int? hours) => hours is { } h ? Now.AddHours(h) : null;

    [Theory]
    // period start, end (hours from now; null: open) pairs | next boundary (hours; null: none)
    [InlineData(null, null, null, null, null)]
    [InlineData(-5, 3, null, null, 3)]        // a running grant ends in 3 h
    [InlineData(2, 9, -1, 4, 2)]              // the first of several bounds ahead
    [InlineData(-5, 0, null, null, null)]     // ended exactly now: nothing ahead
    [InlineData(0, 7, null, null, 7)]         // started exactly now: its end is next
    public void Next_is_the_first_bound_strictly_ahead(int? s1, int? e1, int? s2, int? e2, int? next)
    {
        var bounds = PeriodBoundaries.Of([(H(s1), H(e1)), (H(s2), H(e2))]);
        Assert.Equal(H(next), PeriodBoundaries.Next(bounds, Now));
    }

    [Theory]
    [InlineData(-2, 1, true)]   // (now-2h, now+1h] holds the bound at now
    [InlineData(0, 1, false)]   // the lower end is excluded
    [InlineData(-2, 0, true)]   // the upper end is included
    [InlineData(1, 3, false)]
    public void Passed_is_a_bound_in_the_half_open_window(int from, int to, bool passed) =>
        Assert.Equal(passed, PeriodBoundaries.Passed([Now], Now.AddHours(from), Now.AddHours(to)));

    [Fact]
    public void A_consent_boundary_includes_every_provision_and_both_readings_of_a_date()
    {
        var consent = new CompiledConsent
        {
            ConsentId = "c", PatientId = "p", Status = "active",
            Root = new ConsentProvision
            {
                Path = "provision", Period = new ConsentPeriod(Now, null),
                Children = [new ConsentProvision { Path = "provision.provision[0]", Period = new ConsentPeriod(null, Now.AddDays(1)) { EndZoneless = true } }],
            },
        };
        Assert.Equal(
            [Now, Now.AddDays(1), Now.AddDays(1) - ConsentPeriod.ZoneSpread, Now.AddDays(1) + ConsentPeriod.ZoneSpread],
            ConsentBoundaries.Of(consent));
    }
}
