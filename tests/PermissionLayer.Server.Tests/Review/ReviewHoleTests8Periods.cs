using System.Text.Json;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;
using PermissionLayer.Testing.Time;

namespace PermissionLayer.Server.Tests.Review;

/// <summary>
/// Adversarial review, eighth round, on a server whose decision clock stands still. Round 7 read the
/// date-only periods of entitling imports (PractitionerRole, CareTeam participant) at their narrowest,
/// which is right for the access they give. But the same narrowed period also decides who the
/// requester <em>is</em> for consent: the organizations and care teams that are consent actors
/// (DecisionCore.ConsentActors). A consent deny aimed at an organization or care team must count for
/// a requester who may still belong to it in the time zone the period was meant in; read narrowly,
/// the requester escapes the deny while another grant (a plain grant to the patient) still lets them in.
/// </summary>
public sealed class ReviewHoleTests8Periods : IAsyncLifetime
{
    private const string User = "Practitioner/rv8p-user";

    /// <summary>2030-06-01 20:00 UTC: still 2030-06-01 in UTC and everywhere west of UTC+4.</summary>
    private static readonly DateTimeOffset Now = new(2030, 6, 1, 20, 0, 0, TimeSpan.Zero);

    private readonly ManualClock _clock = new(Now);
    private ServerHost _host = null!;
    private AdminService.AdminServiceClient _admin = null!;
    private DecisionService.DecisionServiceClient _decisions = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await ServerHost.StartAsync(await PostgresServer.CreateDatabaseAsync("review8"), decisionTime: _clock);
        _admin = new(_host.Channel);
        _decisions = new(_host.Channel);
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        foreach (var patient in new[] { "rv8p-org", "rv8p-org-base", "rv8p-team", "rv8p-team-base" })
        {
            await _admin.CreateGrantAsync(Requests.Grant(User, $"Patient/{patient}", "rs"));
        }
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private static CheckRequest ReadObservation(string patient) => new()
    {
        Token = new TokenContext { ClientId = Requests.TrustedClient, FhirUser = User, Scope = "user/Observation.rs" },
        Interaction = Interaction.Read,
        ResourceType = "Observation",
        ResourceId = "obs-1",
        Stored = new ResourceState { Facts = new ResourceFacts { Complete = true, Patients = { patient }, Reference = "Observation/obs-1" } },
    };

    private static string DenyActor(string actor) => $$$"""
        {"type":"deny",
         "actor":[{"role":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ParticipationType","code":"PRCP"}]},
                   "reference":{"reference":"{{{actor}}}"}}]}
        """;

    private async Task ImportAsync(object resource)
    {
        using var import = _admin.Import(new ImportRequest { Format = "json", Content = JsonSerializer.Serialize(resource), Reason = "directory" });
        while (await import.ResponseStream.MoveNext(TestContext.Current.CancellationToken))
        {
        }
    }

    [Fact]
    public async Task A_consent_deny_of_an_organization_counts_for_a_user_whose_date_only_role_there_may_not_have_ended()
    {
        // Baseline: a role without a period makes the user an actor of the organization's deny.
        await ImportAsync(new
        {
            resourceType = "PractitionerRole", id = "rv8p-role-base", active = true,
            practitioner = new { reference = User }, organization = new { reference = "Organization/rv8p-base-org" },
        });
        await _admin.PutConsentAsync(ReviewChecks.Consent("rv8p-org-base-c", "rv8p-org-base", "OPTIN", DenyActor("Organization/rv8p-base-org")));
        var baseline = await _decisions.CheckAsync(ReadObservation("rv8p-org-base"));
        Assert.True(baseline.Outcome == Outcome.Deny, ReviewChecks.Describe(baseline));

        // The role ends with 2030-06-01: read in UTC (and anywhere west of UTC+4) it still runs at 20:00Z.
        await ImportAsync(new
        {
            resourceType = "PractitionerRole", id = "rv8p-role", active = true,
            practitioner = new { reference = User }, organization = new { reference = "Organization/rv8p-clinic" },
            period = new { start = "2030-01-01T00:00:00Z", end = "2030-06-01" },
        });
        await _admin.PutConsentAsync(ReviewChecks.Consent("rv8p-org-c", "rv8p-org", "OPTIN", DenyActor("Organization/rv8p-clinic")));

        await ReviewChecks.AssertNotPermittedAsync(_decisions, ReadObservation("rv8p-org"));
    }

    [Fact]
    public async Task A_consent_deny_of_a_care_team_counts_for_a_participant_whose_date_only_period_may_not_have_ended()
    {
        object Team(string id, string subject, object? period) => new
        {
            resourceType = "CareTeam", id, status = "active", subject = new { reference = $"Patient/{subject}" },
            participant = new[] { period is null ? (object)new { member = new { reference = User } } : new { member = new { reference = User }, period } },
        };
        // Baseline: a participant without a period is an actor of the team's deny.
        await ImportAsync(Team("rv8p-team-base-t", "rv8p-other", null));
        await _admin.PutConsentAsync(ReviewChecks.Consent("rv8p-team-base-c", "rv8p-team-base", "OPTIN", DenyActor("CareTeam/rv8p-team-base-t")));
        var baseline = await _decisions.CheckAsync(ReadObservation("rv8p-team-base"));
        Assert.True(baseline.Outcome == Outcome.Deny, ReviewChecks.Describe(baseline));

        await ImportAsync(Team("rv8p-team-t", "rv8p-other", new { start = "2030-01-01T00:00:00Z", end = "2030-06-01" }));
        await _admin.PutConsentAsync(ReviewChecks.Consent("rv8p-team-c", "rv8p-team", "OPTIN", DenyActor("CareTeam/rv8p-team-t")));

        await ReviewChecks.AssertNotPermittedAsync(_decisions, ReadObservation("rv8p-team"));
    }
}
