using PermissionLayer.Server.Features.Audit;

namespace PermissionLayer.Server.Tests.Audit;

/// <summary>Decision ids are the UUIDs <see cref="Guid.CreateVersion7()"/> would make: version 7, RFC variant, the time in front, unique.</summary>
public sealed class DecisionIdsTests
{
    [Fact]
    public void An_id_has_the_layout_of_a_version_7_uuid_made_at_the_same_time()
    {
        var now = new DateTimeOffset(2026, 11, 26, 9, 30, 15, 123, TimeSpan.Zero);
        var ours = DecisionIds.New(now);
        var framework = Guid.CreateVersion7(now);

        Assert.Equal(framework.Version, ours.Version);
        Assert.Equal(framework.Variant & 0b1100, ours.Variant & 0b1100); // the RFC variant is the two high bits; the rest is random
        Assert.Equal(framework.ToString()[..13], ours.ToString()[..13]); // the 48-bit timestamp
    }

    [Fact]
    public void Ids_are_unique_across_many_draws_and_threads()
    {
        var ids = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        Parallel.For(0, 4, _ =>
        {
            for (var i = 0; i < 5_000; i++)
            {
                ids.Add(DecisionIds.New());
            }
        });

        Assert.Equal(20_000, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Equal((7, 0b1000), (id.Version, id.Variant & 0b1100)));
    }

    [Fact]
    public void Later_milliseconds_sort_later()
    {
        var earlier = DecisionIds.New(DateTimeOffset.FromUnixTimeMilliseconds(1_764_149_415_123));
        var later = DecisionIds.New(DateTimeOffset.FromUnixTimeMilliseconds(1_764_149_415_124));

        Assert.True(string.CompareOrdinal(earlier.ToString(), later.ToString()) < 0);
    }
}
