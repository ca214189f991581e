using CsCheck;
using PermissionLayer.Core.Entitlements;

namespace PermissionLayer.Core.Tests.Entitlements;

/// <summary>When a care team entitles a participant: the team's status and period and the participant's own period, at the instant.</summary>
public sealed class CareTeamEntitlementTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private const string Locum = "Practitioner/locum";

    private static DateTimeOffset? H(int? hours) => hours is { } h ? T0.AddHours(h) : null;

    [Theory]
    // team status, team start/end, participant start/end (hours from T0), decision instant: in force?
    [InlineData("active", null, null, null, null, 0, true)]
    [InlineData("active", null, null, null, 8, 7, true)]
    [InlineData("active", null, null, null, 8, 8, false)] // the participant's end is exclusive
    [InlineData("active", null, null, null, 8, 9, false)] // a locum after their period
    [InlineData("active", null, null, 24, null, 0, false)] // a participant who starts tomorrow
    [InlineData("active", null, null, 24, null, 24, true)] // the participant's start is inclusive
    [InlineData("active", 0, 10, null, 20, 10, false)] // the team's period bounds everyone
    [InlineData("active", 5, null, null, null, 4, false)]
    [InlineData("inactive", null, null, null, null, 0, false)]
    [InlineData("suspended", null, null, null, null, 0, false)]
    [InlineData("proposed", null, null, null, null, 0, false)]
    [InlineData("entered-in-error", null, null, null, null, 0, false)]
    [InlineData("Active", null, null, null, null, 0, false)] // codes are case-sensitive: unknown is not active
    public void A_participant_takes_part_only_while_the_team_and_their_own_period_are_in_force(
        string status, int? teamStart, int? teamEnd, int? from, int? until, int at, bool expected) =>
        Assert.Equal(expected, CareTeamEntitlement.ParticipantInForce(
            status, H(teamStart), H(teamEnd), [new CareTeamParticipant(Locum, H(from), H(until))], Locum, T0.AddHours(at)));

    [Fact]
    public void A_principal_the_team_does_not_name_never_takes_part()
    {
        CareTeamParticipant[] participants = [new("Practitioner/other"), new("Practitioner/LOCUM")];
        Assert.False(CareTeamEntitlement.ParticipantInForce("active", null, null, participants, Locum, T0));
        Assert.False(CareTeamEntitlement.ParticipantInForce("active", null, null, [], Locum, T0));
    }

    [Fact]
    public void A_member_who_took_part_twice_takes_part_in_either_period_and_not_between()
    {
        CareTeamParticipant[] stints = [new(Locum, H(0), H(8)), new(Locum, H(24), H(32))];
        Assert.True(CareTeamEntitlement.ParticipantInForce("active", null, null, stints, Locum, T0.AddHours(1)));
        Assert.False(CareTeamEntitlement.ParticipantInForce("active", null, null, stints, Locum, T0.AddHours(12)));
        Assert.True(CareTeamEntitlement.ParticipantInForce("active", null, null, stints, Locum, T0.AddHours(31)));
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData(0, null, true)]
    [InlineData(null, 0, true)]
    [InlineData(0, 1, true)]
    [InlineData(1, 1, false)]
    [InlineData(2, 1, false)]
    public void A_period_must_end_after_it_starts(int? start, int? end, bool valid) =>
        Assert.Equal(valid, CareTeamEntitlement.ValidatePeriod(H(start), H(end)) is null);

    private static readonly Gen<DateTimeOffset?> Bound = Gen.Int[-60, 48].Select(h => h < -48 ? null : (DateTimeOffset?)T0.AddHours(h)); // about one in eight open

    private static readonly Gen<CareTeamParticipant> ParticipantGen =
        from member in Gen.OneOfConst(Locum, "Practitioner/other")
        from start in Bound
        from end in Bound
        select new CareTeamParticipant(member, start, end);

    private static readonly Gen<(string Status, DateTimeOffset? Start, DateTimeOffset? End, CareTeamParticipant[] Participants, DateTimeOffset At)> TeamGen =
        from status in Gen.OneOfConst("active", "active", "inactive", "suspended")
        from start in Bound
        from end in Bound
        from participants in ParticipantGen.Array[0, 4]
        from at in Gen.Int[-48, 48]
        select (status, start, end, participants, T0.AddHours(at));

    [Fact]
    public void Ending_a_participation_or_the_team_earlier_never_turns_a_deny_into_a_permit() =>
        Gen.Select(TeamGen, Gen.Int[0, 4], Gen.Int[-48, 48]).Sample((team, which, endHours) =>
        {
            var before = CareTeamEntitlement.ParticipantInForce(team.Status, team.Start, team.End, team.Participants, Locum, team.At);
            var newEnd = T0.AddHours(endHours);
            static DateTimeOffset Earlier(DateTimeOffset? current, DateTimeOffset proposed) => current is { } c && c < proposed ? c : proposed;
            var after = which == team.Participants.Length || team.Participants.Length == 0
                ? CareTeamEntitlement.ParticipantInForce(team.Status, team.Start, Earlier(team.End, newEnd), team.Participants, Locum, team.At)
                : CareTeamEntitlement.ParticipantInForce(team.Status, team.Start, team.End,
                    [.. team.Participants.Select((p, i) => i == which % team.Participants.Length ? p with { PeriodEnd = Earlier(p.PeriodEnd, newEnd) } : p)],
                    Locum, team.At);
            Assert.True(before || !after, "ending a period earlier gave access that was not there before");
        });

    [Fact]
    public void Removing_a_participation_never_turns_a_deny_into_a_permit() =>
        Gen.Select(TeamGen, Gen.Int[0, 3]).Sample((team, which) =>
        {
            var before = CareTeamEntitlement.ParticipantInForce(team.Status, team.Start, team.End, team.Participants, Locum, team.At);
            var fewer = team.Participants.Where((_, i) => i != which).ToArray();
            var after = CareTeamEntitlement.ParticipantInForce(team.Status, team.Start, team.End, fewer, Locum, team.At);
            Assert.True(before || !after, "removing a participation gave access");
        });
}
