using Google.Protobuf.WellKnownTypes;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;
using PermissionLayer.Testing.Time;

namespace PermissionLayer.Server.Tests.Entitlements;

/// <summary>
/// Grants, group memberships and care teams count only inside their validity windows. The server's
/// decision clock is a manual one, so the tests move time instead of waiting for it; nothing acts
/// at expiry, the next decision simply sees a later instant.
/// </summary>
public sealed class ValidityWindowTests : IAsyncLifetime
{
    // An hour ahead of the wall clock: grants written during set-up default to "valid from now" (wall
    // time), and must already be in force when the first decision is asked.
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddHours(1);
    private readonly ManualClock _clock = new(Start);
    private ServerHost _host = null!;
    private AdminService.AdminServiceClient _admin = null!;
    private DecisionService.DecisionServiceClient _decisions = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await ServerHost.StartAsync(await PostgresServer.CreateDatabaseAsync("validity"), decisionTime: _clock);
        _admin = new(_host.Channel);
        _decisions = new(_host.Channel);
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private async Task<Outcome> Read(string user, string patient) =>
        (await _decisions.CheckAsync(Requests.ReadPatient(user, patient))).Outcome;

    private static Timestamp At(TimeSpan offset) => Timestamp.FromDateTimeOffset(Start + offset);

    [Fact]
    public async Task Grant_counts_from_valid_from_until_valid_until()
    {
        var grant = Requests.Grant("Practitioner/locum", "Patient/short-stay");
        grant.Grant.ValidFrom = At(TimeSpan.FromHours(1));
        grant.Grant.ValidUntil = At(TimeSpan.FromHours(9));
        await _admin.CreateGrantAsync(grant);

        Assert.Equal(Outcome.Deny, await Read("Practitioner/locum", "short-stay"));
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(Outcome.Permit, await Read("Practitioner/locum", "short-stay"));
        _clock.Advance(TimeSpan.FromHours(8) - TimeSpan.FromTicks(1));
        Assert.Equal(Outcome.Permit, await Read("Practitioner/locum", "short-stay"));
        _clock.Advance(TimeSpan.FromTicks(1));
        var expired = await _decisions.CheckAsync(Requests.ReadPatient("Practitioner/locum", "short-stay"));
        Assert.Equal(Outcome.Deny, expired.Outcome);
        Assert.Equal(Term.User, Assert.Single(expired.Reasons, r => r.Outcome == Outcome.Deny).Term);
    }

    [Fact]
    public async Task Group_membership_counts_only_within_its_period()
    {
        var change = new ChangeGroupMembersRequest { GroupId = "rotation", Reason = "spring rotation" };
        change.Upsert.Add(new GroupMember { PatientId = "rotating", PeriodStart = At(TimeSpan.FromDays(1)), PeriodEnd = At(TimeSpan.FromDays(2)) });
        await _admin.ChangeGroupMembersAsync(change);
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/rotation-lead", "Group/rotation"));

        Assert.Equal(Outcome.Deny, await Read("Practitioner/rotation-lead", "rotating"));
        _clock.Advance(TimeSpan.FromDays(1.5));
        Assert.Equal(Outcome.Permit, await Read("Practitioner/rotation-lead", "rotating"));
        _clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(Outcome.Deny, await Read("Practitioner/rotation-lead", "rotating"));
    }

    [Fact]
    public async Task Care_team_participant_reaches_the_subject_only_within_the_team_period()
    {
        var team = new PutCareTeamRequest
        {
            CareTeamId = "post-op", SubjectPatientId = "post-op-patient", Status = "active", Reason = "surgery follow-up",
            PeriodStart = At(TimeSpan.Zero), PeriodEnd = At(TimeSpan.FromDays(14)),
        };
        team.Participants.Add("Practitioner/surgeon");
        await _admin.PutCareTeamAsync(team);

        Assert.Equal(Outcome.Permit, await Read("Practitioner/surgeon", "post-op-patient"));
        _clock.Advance(TimeSpan.FromDays(14));
        Assert.Equal(Outcome.Deny, await Read("Practitioner/surgeon", "post-op-patient"));
    }
}
