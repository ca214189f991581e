using PermissionLayer.Client.Obligations;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Core.Obligations;
using PermissionLayer.Server.Tests.Review;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Decisions;

/// <summary>
/// Review 14, service side: a conditional create's criteria (subject=Patient/a&amp;_id=…) may match a
/// stored resource that also concerns a patient the user does not reach (its performer), and the FHIR
/// server answers with that match. The permitted write carries its criteria's search obligation, and
/// the match is admitted by the search-result rule: a match concerning an unreached patient is not.
/// </summary>
public sealed class ConditionalWriteMatchTests(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private const string User = "Practitioner/cwm-user";
    private const string App = "cwm-app";

    private readonly AdminService.AdminServiceClient _admin = new(server.Host.Channel);
    private readonly DecisionService.DecisionServiceClient _decisions = new(server.Host.Channel);

    public async ValueTask InitializeAsync()
    {
        // Cleared for every label (user and client): the criteria search then excludes no label and
        // is confined only to the patients it names, so the write is permitted.
        var grant = Requests.Grant(User, "Patient/cwm-a", "crs");
        grant.Grant.Clearance = "V";
        grant.Grant.SensitivityCategories.AddRange(PermissionLayer.Core.Labels.SensitivityCategory.Codes.Order(StringComparer.Ordinal));
        await _admin.CreateGrantAsync(grant);
        var app = Requests.TrustClientForAllPatients(App);
        app.Grant.Clearance = "V";
        app.Grant.SensitivityCategories.AddRange(PermissionLayer.Core.Labels.SensitivityCategory.Codes.Order(StringComparer.Ordinal));
        await _admin.CreateGrantAsync(app);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task A_permitted_conditional_create_admits_only_a_match_a_read_would_permit()
    {
        var response = await _decisions.CheckAsync(new CheckRequest
        {
            Token = new TokenContext { ClientId = App, FhirUser = User, Scope = "user/Observation.crs" },
            Interaction = Interaction.Create,
            ResourceType = "Observation",
            Conditional = true,
            Query = "subject=Patient/cwm-a&_id=obs-perf",
            Proposed = new ResourceState { FhirJson = """
                {"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"1234-5"}]},
                 "subject":{"reference":"Patient/cwm-a"}}
                """ },
        });
        Assert.True(response.Outcome == Outcome.Permit, ReviewChecks.Describe(response));
        Assert.NotNull(response.Obligation);

        var own = new ResourceFacts { Reference = "Observation/obs-perf", Complete = true };
        own.Patients.Add("cwm-a");
        Assert.Equal(AdmissionOutcome.Admit, SearchResultAdmission.Admit(response.Obligation, "Observation", own).Outcome);

        // The stored match: subject cwm-a (reached), performer cwm-b (not reached).
        var match = new ResourceFacts { Reference = "Observation/obs-perf", Complete = true };
        match.Patients.Add("cwm-a");
        match.Patients.Add("cwm-b");
        Assert.Equal(AdmissionOutcome.Deny, SearchResultAdmission.Admit(response.Obligation, "Observation", match).Outcome);
    }
}
