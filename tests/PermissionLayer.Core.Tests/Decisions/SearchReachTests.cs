using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Entitlements;

namespace PermissionLayer.Core.Tests.Decisions;

/// <summary>A search that names no patient: each term must reach someone, and the terms must reach someone in common.</summary>
public sealed class SearchReachTests
{
    [Theory]
    // client's reach | user's reach (* = every patient) | patients in common | deciding code (null: permit)
    [InlineData("*", "a,b", "a,b", null)]
    [InlineData("a,b", "b,c", "b", null)]
    [InlineData("*", "", "", "user.reaches-nobody")]
    [InlineData("a", "b", "", "search.no-common-patient")]
    [InlineData("*", "*", "*", null)]
    public void Each_term_narrows_and_an_empty_intersection_is_denied(string client, string user, string common, string? denied)
    {
        var accessible = AccessiblePatients.Intersect([(DecisionTerm.Client, Reach(client)), (DecisionTerm.User, Reach(user))], 1);
        var decision = Decision.Of([.. SearchReach.Reasons(accessible)]);
        Assert.Equal(common == "*", accessible.AllPatients);
        Assert.Equal(common is "*" or "" ? [] : common.Split(','), accessible.Patients);
        Assert.Equal(denied, decision.DecidingDeny?.Code);
    }

    [Fact]
    public void A_further_term_narrows_the_set_and_keeps_what_was_withheld()
    {
        var accessible = AccessiblePatients.Intersect([(DecisionTerm.User, Reach("a,b,c"))], 1) with { Withheld = ["c"] };
        var launch = accessible.And(DecisionTerm.Scope, Reach("b"));
        Assert.Equal(("b", "c", 2), (string.Join(",", launch.Patients), string.Join(",", launch.Withheld), launch.Terms.Count));
    }

    private static ReachablePatients Reach(string patients) =>
        patients == "*" ? ReachablePatients.Everyone : new ReachablePatients(false, patients.Length == 0 ? [] : patients.Split(','), ["set"]);
}
