using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Grains.Abstractions.CareTeams;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;
using PermissionLayer.Testing.Time;
using static PermissionLayer.Server.Tests.Consents.ConsentRequests;

namespace PermissionLayer.Server.Tests.Entitlements;

/// <summary>
/// Care-team entitlements over a team's life, on the real stack with a decision clock the tests move:
/// participant periods count at each decision (not once at import), the team's own state decides who
/// takes part (a principal's list of its teams, kept by notifications that can be missed, only says
/// which teams to ask), and only teams the user takes part in at the instant are consent actors.
/// </summary>
public sealed class CareTeamLifecycleTests : IAsyncLifetime
{
    // An hour ahead of the wall clock, as in ValidityWindowTests: grants and imports written during
    // set-up take effect from wall time and must already be in force at the first decision.
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddHours(1);
    private readonly ManualClock _clock = new(Start);
    private string _connectionString = "";
    private ServerHost _host = null!;
    private AdminService.AdminServiceClient _admin = null!;
    private DecisionService.DecisionServiceClient _decisions = null!;

    public async ValueTask InitializeAsync()
    {
        _connectionString = await PostgresServer.CreateDatabaseAsync("careteam-lifecycle");
        _host = await ServerHost.StartAsync(_connectionString, decisionTime: _clock);
        _admin = new(_host.Channel);
        _decisions = new(_host.Channel);
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private async Task<Outcome> Read(string user, string patient) =>
        (await _decisions.CheckAsync(Requests.ReadPatient(user, patient))).Outcome;

    /// <summary>A FHIR dateTime at second precision (its inclusive end is the first instant after that second).</summary>
    private static string Fhir(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string CareTeam(string id, string subject, string status, params (string Practitioner, DateTimeOffset? From, DateTimeOffset? Until)[] participants) =>
        JsonSerializer.Serialize(new
        {
            resourceType = "CareTeam", id, status, subject = new { reference = $"Patient/{subject}" },
            participant = participants.Select(p => new
            {
                member = new { reference = $"Practitioner/{p.Practitioner}" },
                period = p.From is null && p.Until is null
                    ? null
                    : new { start = p.From is { } from ? Fhir(from) : null, end = p.Until is { } until ? Fhir(until) : null },
            }),
        }, new JsonSerializerOptions { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull });

    private async Task<ImportProgress> Import(string content)
    {
        using var call = _admin.Import(new ImportRequest { Format = "json", Content = content, Reason = "nightly sync from the EHR" });
        ImportProgress? last = null;
        while (await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken))
        {
            last = call.ResponseStream.Current;
        }
        Assert.Equal("done", last?.Stage);
        return last!;
    }

    private Task<PutCareTeamResponse> PutTeam(string id, string subject, string status, params string[] participants)
    {
        var request = new PutCareTeamRequest { CareTeamId = id, SubjectPatientId = subject, Status = status, Reason = "care plan" };
        request.Participants.AddRange(participants);
        return _admin.PutCareTeamAsync(request).ResponseAsync;
    }

    /// <summary>Ends the team's activation (only it: the principals' stay), so the next call loads the team from PostgreSQL afresh.</summary>
    private async Task DeactivateTeamAsync(string team)
    {
        var grains = _host.Services.GetRequiredService<IGrainFactory>();
        await grains.GetGrain<ICareTeamGrain>(team).AsReference<IGrainManagementExtension>().DeactivateOnIdle();
    }

    [Fact]
    public async Task An_imported_locum_loses_access_when_their_period_ends()
    {
        var ward = CareTeam("ctl-ward", "ctl-ward-patient", "active",
            ("ctl-locum", Start.AddHours(-2), Start.AddHours(8)),
            ("ctl-regular", null, null));
        await Import(ward);
        var again = (await Import(ward)).Resources[0];
        Assert.Equal(("unchanged", 2), (again.Outcome, again.Count));
        Assert.Equal(Outcome.Permit, await Read("Practitioner/ctl-locum", "ctl-ward-patient"));
        Assert.Equal(Outcome.Permit, await Read("Practitioner/ctl-regular", "ctl-ward-patient"));

        _clock.Advance(TimeSpan.FromHours(9)); // past the locum's period
        var ended = await _decisions.CheckAsync(Requests.ReadPatient("Practitioner/ctl-locum", "ctl-ward-patient"));
        Assert.Equal(Outcome.Deny, ended.Outcome);
        Assert.Equal(Term.User, Assert.Single(ended.Reasons, r => r.Outcome == Outcome.Deny).Term);
        Assert.Equal(Outcome.Permit, await Read("Practitioner/ctl-regular", "ctl-ward-patient"));
    }

    [Fact]
    public async Task An_imported_participant_whose_period_starts_later_has_no_access_before_it()
    {
        await Import(CareTeam("ctl-rota", "ctl-rota-patient", "active", ("ctl-next", Start.AddDays(1), null)));
        Assert.Equal(Outcome.Deny, await Read("Practitioner/ctl-next", "ctl-rota-patient"));

        _clock.Advance(TimeSpan.FromDays(1)); // the participant's start is inclusive
        Assert.Equal(Outcome.Permit, await Read("Practitioner/ctl-next", "ctl-rota-patient"));
    }

    [Fact]
    public async Task Participant_periods_given_to_PutCareTeam_count_at_each_decision_and_a_member_may_come_back()
    {
        var request = new PutCareTeamRequest { CareTeamId = "ctl-put", SubjectPatientId = "ctl-put-patient", Status = "active", Reason = "cover rota" };
        request.Participants.Add("Practitioner/ctl-put-lead");
        request.ParticipantPeriods.Add(Period("Practitioner/ctl-put-locum", TimeSpan.Zero, TimeSpan.FromHours(8)));
        request.ParticipantPeriods.Add(Period("Practitioner/ctl-put-locum", TimeSpan.FromDays(2), TimeSpan.FromDays(3)));
        await _admin.PutCareTeamAsync(request);

        Assert.Equal(Outcome.Permit, await Read("Practitioner/ctl-put-locum", "ctl-put-patient"));
        _clock.Advance(TimeSpan.FromHours(8)); // the end is exclusive
        Assert.Equal(Outcome.Deny, await Read("Practitioner/ctl-put-locum", "ctl-put-patient"));
        Assert.Equal(Outcome.Permit, await Read("Practitioner/ctl-put-lead", "ctl-put-patient"));
        _clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(Outcome.Permit, await Read("Practitioner/ctl-put-locum", "ctl-put-patient"));
        _clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(Outcome.Deny, await Read("Practitioner/ctl-put-locum", "ctl-put-patient"));
    }

    [Theory]
    [InlineData("Practitioner/ctl-both", 0, 8, "participant_periods")] // also named in participants: open-ended or not?
    [InlineData("Practitioner/ctl-backwards", 8, 0, "participant_periods")]
    [InlineData("Practitioner/ctl-empty", 8, 8, "participant_periods")]
    [InlineData("Client/ctl-app", 0, 8, "participants")]
    public async Task A_participant_period_that_cannot_be_meant_is_rejected_naming_the_field(string member, int fromHours, int untilHours, string named)
    {
        var request = new PutCareTeamRequest { CareTeamId = "ctl-bad", SubjectPatientId = "ctl-bad-patient", Status = "active", Reason = "cover rota" };
        request.Participants.Add("Practitioner/ctl-both");
        request.ParticipantPeriods.Add(Period(member, TimeSpan.FromHours(fromHours), TimeSpan.FromHours(untilHours)));
        var error = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => _admin.PutCareTeamAsync(request).ResponseAsync);
        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith(named, error.Status.Detail);
        Assert.Equal(Outcome.Deny, await Read("Practitioner/ctl-both", "ctl-bad-patient")); // nothing was stored
    }

    private static CareTeamParticipant Period(string member, TimeSpan from, TimeSpan until) => new()
    {
        Member = member,
        PeriodStart = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(Start + from),
        PeriodEnd = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(Start + until),
    };

    [Fact]
    public async Task The_accessible_patients_follow_the_participant_periods()
    {
        await Import(CareTeam("ctl-stream", "ctl-stream-patient", "active", ("ctl-stream-locum", null, Start.AddHours(8))));
        var token = new TokenContext { ClientId = Requests.TrustedClient, FhirUser = "Practitioner/ctl-stream-locum", Scope = "user/Patient.rs" };

        Assert.Equal(["ctl-stream-patient"], await AccessibleAsync(token));
        _clock.Advance(TimeSpan.FromHours(9));
        Assert.Empty(await AccessibleAsync(token));
    }

    private async Task<List<string>> AccessibleAsync(TokenContext token)
    {
        using var call = _decisions.StreamAccessiblePatients(new AccessiblePatientsRequest { Token = token, ResourceType = "Patient" });
        var patients = new List<string>();
        while (await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken))
        {
            patients.AddRange(call.ResponseStream.Current.PatientIds);
        }
        return patients;
    }

    [Fact]
    public async Task A_participant_removed_behind_their_principals_back_no_longer_reaches_the_subject()
    {
        await PutTeam("ctl-removed", "ctl-removed-patient", "active", "Practitioner/ctl-leaver", "Practitioner/ctl-stayer");
        // The leaver's activation now holds the team in its list of teams.
        Assert.Equal(Outcome.Permit, await Read("Practitioner/ctl-leaver", "ctl-removed-patient"));

        // Another node took them off the team and failed before telling anyone; this node's team
        // activation is gone, so the fresh one has no idea who left and tells nobody.
        Assert.Equal(1, await CareTeamRows.RemoveParticipantAsync(_connectionString, "ctl-removed", "Practitioner/ctl-leaver"));
        await DeactivateTeamAsync("ctl-removed");
        await _host.Services.GetRequiredService<IGrainFactory>().GetGrain<ICareTeamGrain>("ctl-removed").Reload();

        var denied = await _decisions.CheckAsync(Requests.ReadPatient("Practitioner/ctl-leaver", "ctl-removed-patient"));
        Assert.Equal(Outcome.Deny, denied.Outcome);
        Assert.Equal("user.no-grant", Assert.Single(denied.Reasons, r => r.Outcome == Outcome.Deny).Code);
        Assert.Equal(Outcome.Permit, await Read("Practitioner/ctl-stayer", "ctl-removed-patient"));
    }

    [Fact]
    public async Task A_participant_whose_principal_was_active_when_a_team_was_imported_is_told_they_joined()
    {
        // The joiner's activation exists (and knows of no team) before the import; the team's grain does not.
        Assert.Equal(Outcome.Deny, await Read("Practitioner/ctl-joiner", "ctl-joined-patient"));
        await Import(CareTeam("ctl-joined", "ctl-joined-patient", "active", ("ctl-joiner", null, null)));
        Assert.Equal(Outcome.Permit, await Read("Practitioner/ctl-joiner", "ctl-joined-patient"));
    }

    [Fact]
    public async Task A_retried_PutCareTeam_tells_the_joiner_that_the_first_attempt_never_told()
    {
        await PutTeam("ctl-retry", "ctl-retry-patient", "active", "Practitioner/ctl-retry-lead");
        Assert.Equal(Outcome.Deny, await Read("Practitioner/ctl-retry-joiner", "ctl-retry-patient"));

        // The first attempt committed the joiner, then its node failed before telling them.
        Assert.Equal(1, await CareTeamRows.AddParticipantAsync(_connectionString, "ctl-retry", "Practitioner/ctl-retry-joiner"));
        await DeactivateTeamAsync("ctl-retry");

        await PutTeam("ctl-retry", "ctl-retry-patient", "active", "Practitioner/ctl-retry-lead", "Practitioner/ctl-retry-joiner");
        Assert.Equal(Outcome.Permit, await Read("Practitioner/ctl-retry-joiner", "ctl-retry-patient"));
    }

    [Fact]
    public async Task A_team_the_user_no_longer_takes_part_in_is_not_a_consent_actor()
    {
        // OPTOUT with a permit for the care team's members: the user reaches the patient by a grant of
        // their own, so only the consent, through the team as actor, decides.
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/ctl-actor", "Patient/ctla-3"));
        await _admin.PutConsentAsync(Put("ctla-out", Fixture("consent-example-Out", "ctla", "ctla-out").Replace("CareTeam/ct-f003", "CareTeam/ctl-actors")));
        await PutTeam("ctl-actors", "ctl-actors-subject", "active", "Practitioner/ctl-actor");
        Assert.Equal(Outcome.Permit, (await _decisions.CheckAsync(ReadObservation("Practitioner/ctl-actor", "ctla-3"))).Outcome);

        await PutTeam("ctl-actors", "ctl-actors-subject", "inactive", "Practitioner/ctl-actor");
        var inactive = await _decisions.CheckAsync(ReadObservation("Practitioner/ctl-actor", "ctla-3"));
        Assert.Equal(Outcome.Deny, inactive.Outcome);
        Assert.Equal(Term.Consent, Assert.Single(inactive.Reasons, r => r.Outcome == Outcome.Deny).Term);
    }

    [Fact]
    public async Task A_team_whose_participation_has_ended_is_not_a_consent_actor()
    {
        await Import(CareTeam("ctl-actors-b", "ctl-actors-b-subject", "active", ("ctl-actor-locum", null, Start.AddHours(8))));
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/ctl-actor-locum", "Patient/ctlb-3"));
        await _admin.PutConsentAsync(Put("ctlb-out", Fixture("consent-example-Out", "ctlb", "ctlb-out").Replace("CareTeam/ct-f003", "CareTeam/ctl-actors-b")));
        Assert.Equal(Outcome.Permit, (await _decisions.CheckAsync(ReadObservation("Practitioner/ctl-actor-locum", "ctlb-3"))).Outcome);

        _clock.Advance(TimeSpan.FromHours(9));
        var ended = await _decisions.CheckAsync(ReadObservation("Practitioner/ctl-actor-locum", "ctlb-3"));
        Assert.Equal(Outcome.Deny, ended.Outcome);
        Assert.Equal(Term.Consent, Assert.Single(ended.Reasons, r => r.Outcome == Outcome.Deny).Term);
    }
}
