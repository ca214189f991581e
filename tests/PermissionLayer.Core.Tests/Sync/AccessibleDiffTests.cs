using CsCheck;
using PermissionLayer.Core.Sync;

namespace PermissionLayer.Core.Tests.Sync;

/// <summary>The feed's events take a device from one set to the next, exactly.</summary>
public sealed class AccessibleDiffTests
{
    private static AccessibleSet Set(string spec) =>
        spec.StartsWith("all-", StringComparison.Ordinal) ? AccessibleSet.AllBut(Ids(spec[4..])) : AccessibleSet.Members(Ids(spec));

    private static string[] Ids(string csv) => csv.Length == 0 ? [] : csv.Split(',');

    [Theory]
    // before | after | entered | left | snapshot
    [InlineData("", "", "", "", false)]
    [InlineData("a,b", "b,c", "c", "a", false)]
    [InlineData("a", "", "", "a", false)]
    [InlineData("", "a,b", "a,b", "", false)]
    [InlineData("all-", "all-x", "", "x", false)]      // x is withheld now: it leaves
    [InlineData("all-x,y", "all-y", "x", "", false)]   // x is no longer withheld: it enters
    [InlineData("a", "all-", "", "", true)]            // the shape changes: a fresh snapshot
    [InlineData("all-", "a", "", "", true)]
    public void Diff_says_who_entered_and_left(string before, string after, string entered, string left, bool snapshot)
    {
        var diff = AccessibleDiff.Between(Set(before), Set(after));
        Assert.Equal(snapshot, diff.NeedsSnapshot);
        Assert.Equal(Ids(entered), diff.Entered);
        Assert.Equal(Ids(left), diff.Left);
    }

    [Fact]
    public void Applying_the_diff_gives_the_new_set() =>
        Gen.Select(Gen.Bool, Gen.Int[0, 9].Select(i => $"p{i}").HashSet[0, 8], Gen.Int[0, 9].Select(i => $"p{i}").HashSet[0, 8])
            .Sample((all, before, after) =>
            {
                var from = all ? AccessibleSet.AllBut(before) : AccessibleSet.Members(before);
                var to = all ? AccessibleSet.AllBut(after) : AccessibleSet.Members(after);
                var applied = AccessibleDiff.Between(from, to).ApplyTo(from);
                Assert.True(applied.SameAs(to));
                Assert.All(Enumerable.Range(0, 10).Select(i => $"p{i}"), p => Assert.Equal(to.Admits(p), applied.Admits(p)));
            });
}
