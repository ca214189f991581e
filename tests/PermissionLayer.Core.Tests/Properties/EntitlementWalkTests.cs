using PermissionLayer.Core.Entitlements;

namespace PermissionLayer.Core.Tests.Properties;

/// <summary>
/// The walk's three answers (per-patient access, reachable set, privacy profile) and the grain calls it
/// needs. The call counts are those the old PatientReach/ReachCollector/PrivacyReach made, or fewer.
/// </summary>
public sealed class EntitlementWalkTests
{
    private static readonly DateTimeOffset At = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly PrincipalRef User = PrincipalRef.Parse("Practitioner/u");

    private static Grant GrantTo(string target, string? clearance = null, bool breakGlass = false, DataActions actions = DataActions.Read | DataActions.Search) => new()
    {
        Id = Guid.NewGuid(), Principal = User.ToString(), Target = GrantTarget.Parse(target), Actions = actions, Clearance = clearance,
        BreakGlass = breakGlass, ValidFrom = At.AddDays(-1), Reason = "test", GrantedBy = "test",
    };

    private static EntitlementWorld World() => new(
        new Dictionary<GrantTarget, IReadOnlyList<Membership>>
        {
            [GrantTarget.Parse("Group/g1")] = [new("a", null, null), new("b", null, null)],
            [GrantTarget.Parse("Group/g2")] = [new("a", null, null), new("c", null, null)],
            [GrantTarget.Parse("Organization/o1")] = [new("c", null, At)],
        },
        new Dictionary<string, Team>
        {
            ["t1"] = new("d", true, [new CareTeamParticipant("Practitioner/u", null, null)]),
            ["t2"] = new("e", false, [new CareTeamParticipant("Practitioner/u", null, null)]),
        });

    private static (WalkResult Result, int Calls) Walk(EntitlementSnapshot snapshot, WalkQuestion question, EntitlementWorld world)
    {
        var result = EntitlementWalk.Run(snapshot, question, (asks, facts) => world.Answer(snapshot.Principal, question.At, asks, facts));
        return (result, world.Calls);
    }

    private static EntitlementSnapshot Snapshot(params Grant[] grants) => new(User, new GrantBook(grants), ["t1", "t2"]);

    public static TheoryData<string[], string[], bool, int> CallCounts => new()
    {
        // grants, patients, permitted, grain calls
        { ["Patient/a"], ["a"], true, 0 },                         // direct: no call
        { ["*"], ["a", "b", "z"], true, 0 },                      // everyone: no call
        { ["Group/g1"], ["a", "b"], true, 1 },                    // one call for both patients
        { ["Group/g1", "Group/g2"], ["a"], true, 1 },             // the first set reaches everyone: the second is not asked
        { ["Patient/a", "Group/g1"], ["a"], true, 0 },            // reached directly: the set is not asked
        { ["Group/g1", "Group/g2"], ["b", "c"], true, 2 },        // g2 asked only about c
        { ["Organization/o1"], ["c"], false, 3 },                 // membership ended at the instant; then both teams taken part in
        { ["CareTeam/t1"], ["d"], true, 1 },                      // the team's subject in force
        { ["CareTeam/t2"], ["e"], false, 3 },                     // a team not in force reaches nobody (granted or taken part in)
        { [], ["d"], true, 1 },                                   // taking part in t1 (t2 not asked: d reached)
        { [], ["z"], false, 2 },                                  // both teams asked, neither reaches z
    };

    [Theory]
    [MemberData(nameof(CallCounts))]
    public void Access_asks_each_set_or_team_at_most_once_and_only_while_a_patient_is_unreached(string[] targets, string[] patients, bool permitted, int calls)
    {
        var world = World();
        var (result, made) = Walk(Snapshot([.. targets.Select(t => GrantTo(t))]), new WalkQuestion(DataActions.Read, "Observation", null, At, patients), world);
        Assert.Equal((permitted, calls), (result.Permitted, made));
    }

    [Fact]
    public void A_profile_about_a_group_grant_shares_the_access_call_and_no_privacy_call_is_made_without_privacy_attributes()
    {
        // Before: one MembersAmong for access and one more for the profile. Now the set is asked once, about every touched patient.
        var withClearance = World();
        var (profiled, calls) = Walk(Snapshot(GrantTo("Patient/a"), GrantTo("Group/g1", clearance: "R")),
            new WalkQuestion(DataActions.Read, "Observation", null, At, ["a", "b"], Profile: true), withClearance);
        Assert.True(profiled.Permitted);
        Assert.Equal("R", profiled.Privacy.Clearance.Ceiling);
        Assert.Equal(["t1"], profiled.CareTeamsInForce);
        Assert.Equal(1 + 2, calls); // g1 once; each team's participation once (the profile's care teams)

        var plain = World();
        var (unprofiled, plainCalls) = Walk(Snapshot(GrantTo("Patient/a"), GrantTo("Patient/b")),
            new WalkQuestion(DataActions.Read, "Observation", null, At, ["a", "b"]), plain);
        Assert.True(unprofiled.Permitted);
        Assert.Equal(0, plainCalls);
    }

    [Fact]
    public void The_reachable_set_asks_each_set_and_team_once()
    {
        var world = World();
        var (result, calls) = Walk(Snapshot(GrantTo("Group/g1"), GrantTo("Group/g1"), GrantTo("Organization/o1"), GrantTo("CareTeam/t2")),
            new WalkQuestion(DataActions.Read, "Observation", null, At, null), world);
        Assert.Equal(["a", "b", "d"], result.Reach!.Patients);
        Assert.Equal(["Group/g1", "Organization/o1", "CareTeam/t1"], result.Reach.GrantingSets);
        // g1, o1, t2's subject, t1's participation; then t2's participation (its subject was not in force)
        Assert.Equal(5, calls);
    }

    [Fact]
    public void A_grants_clearance_counts_only_for_the_patients_it_reaches()
    {
        var world = World();
        var snapshot = Snapshot(GrantTo("Patient/a", clearance: "V", breakGlass: true), GrantTo("Patient/b"));
        var (both, _) = Walk(snapshot, new WalkQuestion(DataActions.Read, "Observation", null, At, ["a", "b"], Profile: true), world);
        var (onlyA, _) = Walk(snapshot, new WalkQuestion(DataActions.Read, "Observation", null, At, ["a"], Profile: true), world);
        Assert.Equal(("N", false), (both.Privacy.Clearance.Ceiling, both.Privacy.MayBreakGlass));
        Assert.Equal(("V", true), (onlyA.Privacy.Clearance.Ceiling, onlyA.Privacy.MayBreakGlass));
    }

    [Fact]
    public void Unknown_facts_reach_nobody()
    {
        var snapshot = Snapshot(GrantTo("Group/g1", clearance: "V"), GrantTo("CareTeam/t1"));
        var result = EntitlementWalk.Evaluate(snapshot, new WalkQuestion(DataActions.Read, "Observation", null, At, ["a", "d"], Profile: true), WalkFacts.None);
        Assert.False(result.Permitted);
        Assert.All(result.Patients, p => Assert.Null(p.GrantId));
        Assert.Equal("N", result.Privacy.Clearance.Ceiling);
        Assert.Throws<InvalidOperationException>(() => EntitlementWalk.Run(snapshot,
            new WalkQuestion(DataActions.Read, "Observation", null, At, ["a"]), (_, facts) => facts));
    }

    [Fact]
    public void No_actions_reach_nobody()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EntitlementWalk.Needs(Snapshot(GrantTo("*")),
            new WalkQuestion(DataActions.None, "Observation", null, At, ["a"]), WalkFacts.None));
    }

    [Theory]
    [InlineData("*")]
    [InlineData("Patient/a")]
    [InlineData("Group/g.1")]
    [InlineData("Organization/o-1")]
    [InlineData("CareTeam/t1")]
    public void A_target_keeps_its_wire_form(string text) => Assert.Equal(text, GrantTarget.Parse(text).ToString());

    [Theory]
    [InlineData("Practitioner/x", "target 'Practitioner/x' is not", false)]
    [InlineData("Patient/", "is not of the form Type/id or '*'", true)]
    [InlineData("", "is not of the form Type/id or '*'", true)]
    public void A_target_that_does_not_validate_does_not_parse(string text, string message, bool shapeError)
    {
        Assert.False(GrantTarget.TryParse(text, out _));
        var error = Assert.Throws<FormatException>(() => GrantTarget.Parse(text)).Message;
        Assert.Equal(GrantTarget.Validate(text), error);
        Assert.True(!shapeError || error.Contains(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Client/app", true, false)]
    [InlineData("Patient/p", false, true)]
    [InlineData("Practitioner/x", false, false)]
    public void A_principal_says_what_it_is(string text, bool client, bool patient)
    {
        var principal = PrincipalRef.Parse(text);
        Assert.Equal((client, patient, !client, text), (principal.IsClient, principal.IsPatient, principal.IsUser, principal.ToString()));
        Assert.Equal(PrincipalRef.ForClient("app"), PrincipalRef.Parse("Client/app"));
        Assert.Equal(text, PrincipalRef.FromKey(text).ToString());
    }
}
