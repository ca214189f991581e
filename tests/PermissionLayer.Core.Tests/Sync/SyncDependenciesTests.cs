using PermissionLayer.Core.Sync;

namespace PermissionLayer.Core.Tests.Sync;

/// <summary>Which committed changes can alter a requester's set: only those naming what its set is computed from.</summary>
public sealed class SyncDependenciesTests
{
    private static readonly SyncDependencies Practitioner = SyncDependencies.Of(
        principals: ["Client/app", "Practitioner/a"], clientId: "app", contextGroups: ["ctx"],
        grantTargets: ["Group/g1", "Organization/o1", "CareTeam/t1", "Patient/direct"],
        teams: ["t2"], organizations: ["Organization/o2"], reachedPatients: ["p1", "p2"]);

    private static readonly SyncDependencies Everyone = SyncDependencies.Of(
        ["Client/app"], "app", [], ["*"], [], [], reachedPatients: null);

    [Theory]
    [InlineData("principal", "Practitioner/a", true)]
    [InlineData("principal", "Client/app", true)]
    [InlineData("principal", "Practitioner/b", false)]
    [InlineData("client", "app", true)]
    [InlineData("client", "other", false)]
    [InlineData("group", "g1", true)]                // a group a grant targets
    [InlineData("group", "ctx", true)]               // a fhirContext group
    [InlineData("group", "Organization/o1", true)]   // an organization a grant targets
    [InlineData("group", "Organization/o2", true)]   // an organization it works for (consent actors)
    [InlineData("group", "g2", false)]
    [InlineData("careteam", "t1", true)]             // a care team a grant targets
    [InlineData("careteam", "t2", true)]             // a care team naming the practitioner
    [InlineData("careteam", "t3", false)]
    [InlineData("consent", "p1", true)]              // a reached patient's consent
    [InlineData("consent", "direct", true)]          // a granted patient's (reached or withheld now)
    [InlineData("consent", "p9", false)]
    [InlineData("future-kind", "x", true)]           // fail closed: an unknown kind touches everyone
    public void A_change_touches_the_requester_only_through_its_facts(string kind, string key, bool touches) =>
        Assert.Equal(touches, Practitioner.Touches(new SyncEntity(kind, key)));

    [Theory]
    [InlineData("consent", "anyone", true)]          // every patient reached: any consent may withhold
    [InlineData("group", "g1", false)]
    public void A_requester_reaching_every_patient_depends_on_every_consent(string kind, string key, bool touches) =>
        Assert.Equal(touches, Everyone.Touches(new SyncEntity(kind, key)));

    [Fact]
    public void Touched_lists_only_the_entities_that_matter() =>
        Assert.Equal(["group:g1"], Practitioner.Touched([new("group", "g1"), new("group", "g9"), new("principal", "Practitioner/z")])
            .Select(e => $"{e.Kind}:{e.Key}"));
}
