using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;
using PermissionLayer.Testing.Time;

namespace PermissionLayer.Server.Tests.Review;

/// <summary>
/// Adversarial review, seventh round, on a server whose decision clock stands still: a date-only
/// Period (FHIR <c>date</c> precision, no time zone) in a consent is read as UTC (PeriodBounds). A date
/// has no zone: "2030-06-02" begins at 2030-06-01T10:00Z in UTC+14 and ends at 2030-06-03T12:00Z in
/// UTC-12. Read as UTC, a deny provision starts up to 14 hours late and ends up to 12 hours early,
/// so inside those hours a request the patient's consent denies (at the patient's own date) is
/// permitted. Ambiguous information must never yield PERMIT: a deny's date-only period should be
/// read at its widest (or such a period rejected at PutConsent).
/// </summary>
public sealed class ReviewHoleTests7Periods : IAsyncLifetime
{
    private const string User = "Practitioner/rv7p-user";

    /// <summary>2030-06-01 20:00 UTC: already 2030-06-02 east of UTC+4, still 2030-06-01 everywhere west of it.</summary>
    private static readonly DateTimeOffset Now = new(2030, 6, 1, 20, 0, 0, TimeSpan.Zero);

    private readonly ManualClock _clock = new(Now);
    private ServerHost _host = null!;
    private AdminService.AdminServiceClient _admin = null!;
    private DecisionService.DecisionServiceClient _decisions = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await ServerHost.StartAsync(await PostgresServer.CreateDatabaseAsync("review7"), decisionTime: _clock);
        _admin = new(_host.Channel);
        _decisions = new(_host.Channel);
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        await _admin.CreateGrantAsync(Requests.Grant(User, "*", "rs"));
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private CheckRequest ReadObservation(string patient) => new()
    {
        Token = new TokenContext { ClientId = Requests.TrustedClient, FhirUser = User, Scope = "user/Observation.rs" },
        Interaction = Interaction.Read,
        ResourceType = "Observation",
        ResourceId = "obs-1",
        Stored = new ResourceState { Facts = new ResourceFacts { Complete = true, Patients = { patient }, Reference = "Observation/obs-1" } },
    };

    private const string DenyObservations =
        """{"type":"deny","class":[{"system":"http://hl7.org/fhir/resource-types","code":"Observation"}],"period":{PERIOD}}""";

    [Theory]
    // Starts on 2030-06-02: at 2030-06-01T20:00Z it is already that day in Sydney (UTC+10, 06:00);
    // read as UTC the deny starts 4 hours later.
    [InlineData("rv7p-start", """{"start":"2030-06-02"}""", 0)]
    // Ends with 2030-06-01: at 2030-06-02T05:00Z it is still that day in Honolulu (UTC-10, 19:00);
    // read as UTC the deny ended 5 hours ago.
    [InlineData("rv7p-end", """{"end":"2030-06-01"}""", 9)]
    public async Task A_consent_deny_whose_date_only_period_covers_now_in_some_time_zone_is_not_lifted(string patient, string period, int hoursLater)
    {
        _clock.Advance(TimeSpan.FromHours(hoursLater));
        await _admin.PutConsentAsync(ReviewChecks.Consent($"{patient}-c", patient, "OPTIN", DenyObservations.Replace("{PERIOD}", period)));
        // Baseline: the same deny without a period denies (set-up is right).
        await _admin.PutConsentAsync(ReviewChecks.Consent("rv7p-always-c", "rv7p-always", "OPTIN", DenyObservations.Replace(",\"period\":{PERIOD}", "")));
        var always = await _decisions.CheckAsync(ReadObservation("rv7p-always"));
        Assert.True(always.Outcome == Outcome.Deny, ReviewChecks.Describe(always));

        await ReviewChecks.AssertNotPermittedAsync(_decisions, ReadObservation(patient));
    }
}
