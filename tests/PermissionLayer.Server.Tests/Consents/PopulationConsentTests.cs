using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Server;
using static PermissionLayer.Server.Tests.Consents.ConsentRequests;

namespace PermissionLayer.Server.Tests.Consents;

/// <summary>
/// Searches that name no patient, over the real stack: each accessible patient's consent is applied
/// (through the consent registry), in Check's obligation and in StreamAccessiblePatients alike.
/// </summary>
public sealed class PopulationConsentTests(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private readonly AdminService.AdminServiceClient _admin = new(server.Host.Channel);
    private readonly DecisionService.DecisionServiceClient _decisions = new(server.Host.Channel);

    public async ValueTask InitializeAsync() => await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task Panel(string practitioner, params string[] patients)
    {
        foreach (var patient in patients)
        {
            await _admin.CreateGrantAsync(Requests.Grant(practitioner, $"Patient/{patient}"));
        }
    }

    [Fact]
    public async Task Population_search_leaves_out_the_patient_who_opted_out_of_the_requesters_organization_until_withdrawn()
    {
        await Panel("Practitioner/pop-doc", "popa-1", "popa-2", "popa-3");
        await _admin.PutConsentAsync(Put("popa-notorg", Fixture("consent-example-notOrg", "popa", "popa-notorg")));
        string[] f001 = ["Organization/f001"];

        var search = await _decisions.CheckAsync(SearchAllObservations("Practitioner/pop-doc", affiliations: f001));

        Assert.Equal(Outcome.Permit, search.Outcome);
        Assert.Equal(["popa-2", "popa-3"], search.Obligation.Patients.PatientIds);
        Assert.Equal(["popa-1"], search.Obligation.Patients.ExcludedPatientIds);
        Assert.True(search.Obligation.Patients.Complete);
        Assert.Contains(search.Reasons, r => r.Term == Term.Consent && r.Code == "consent.withheld");

        var stream = await Pages(Token("Practitioner/pop-doc", affiliations: f001));
        Assert.Equal(["popa-2", "popa-3"], stream.SelectMany(p => p.PatientIds));
        Assert.Equal(["popa-1"], stream[0].ExcludedPatientIds);

        var otherOrganization = await _decisions.CheckAsync(SearchAllObservations("Practitioner/pop-doc", affiliations: ["Organization/f002"]));
        Assert.Equal(["popa-1", "popa-2", "popa-3"], otherOrganization.Obligation.Patients.PatientIds);
        Assert.Empty(otherOrganization.Obligation.Patients.ExcludedPatientIds);
        Assert.Contains(otherOrganization.Reasons, r => r.Term == Term.Consent && r.Code == "consent.screened");

        await _admin.WithdrawConsentAsync(new WithdrawConsentRequest { ConsentId = "popa-notorg", PatientId = "popa-1", Reason = "changed their mind" });
        var afterWithdrawal = await _decisions.CheckAsync(SearchAllObservations("Practitioner/pop-doc", affiliations: f001));
        Assert.Equal(["popa-1", "popa-2", "popa-3"], afterWithdrawal.Obligation.Patients.PatientIds);
        Assert.Equal(["popa-1", "popa-2", "popa-3"], (await Pages(Token("Practitioner/pop-doc", affiliations: f001))).SelectMany(p => p.PatientIds));
    }

    [Fact]
    public async Task Research_search_over_every_patient_carries_the_patients_who_refused_research_as_exclusions()
    {
        await _admin.PutConsentAsync(Put("popr-research", Fixture("consent-example-research", "popr", "popr-research")));
        var system = Token(null, scope: "system/Observation.rs");

        system.PurposeOfUse = "HRESCH";
        var research = await _decisions.CheckAsync(new CheckRequest
        {
            Token = system, Interaction = Interaction.SearchType, ResourceType = "Observation", Query = "code=http://loinc.org|8867-4",
        });
        Assert.Equal(Outcome.Permit, research.Outcome);
        Assert.True(research.Obligation.Patients.AllPatients);
        Assert.Contains("popr-2", research.Obligation.Patients.ExcludedPatientIds);
        Assert.Contains("popr-2", (await Pages(system.Clone()))[0].ExcludedPatientIds);

        system.PurposeOfUse = "TREAT";
        var treatment = await _decisions.CheckAsync(new CheckRequest
        {
            Token = system, Interaction = Interaction.SearchType, ResourceType = "Observation", Query = "code=http://loinc.org|8867-4",
        });
        Assert.True(treatment.Obligation.Patients.AllPatients);
        Assert.DoesNotContain("popr-2", treatment.Obligation.Patients.ExcludedPatientIds);
    }

    [Fact]
    public async Task A_label_only_restriction_leaves_the_patient_out_of_a_population_search_but_only_hides_the_label_when_named()
    {
        // OPTOUT, permit to CareTeam/ct-f003 with a nested deny of PSY-labelled data; the practitioner
        // is on that care team (for popl-3) and has popl-4 on the panel, cleared for PSY data: only the
        // consent, not the clearance, withholds PSY here.
        var cleared = Requests.Grant("Practitioner/pop-ct", "Patient/popl-4");
        cleared.Grant.SensitivityCategories.Add("PSY");
        await _admin.CreateGrantAsync(cleared);
        var careTeam = new PutCareTeamRequest { CareTeamId = "ct-f003", SubjectPatientId = "popl-3", Status = "active", Reason = "episode" };
        careTeam.Participants.Add("Practitioner/pop-ct");
        await _admin.PutCareTeamAsync(careTeam);
        await _admin.PutConsentAsync(Put("popl-out", Fixture("consent-example-Out", "popl", "popl-out")));

        var population = await _decisions.CheckAsync(SearchAllObservations("Practitioner/pop-ct"));
        Assert.Equal(["popl-4"], population.Obligation.Patients.PatientIds);
        Assert.Equal(["popl-3"], population.Obligation.Patients.ExcludedPatientIds);
        Assert.DoesNotContain(Psy, population.Obligation.ExcludedSecurityLabels);

        var named = await _decisions.CheckAsync(new CheckRequest
        {
            Token = Token("Practitioner/pop-ct"), Interaction = Interaction.SearchType,
            ResourceType = "Observation", Query = "patient=popl-3",
        });
        Assert.Equal(Outcome.Permit, named.Outcome);
        Assert.Contains(Psy, named.Obligation.ExcludedSecurityLabels);
    }

    [Fact]
    public async Task Search_is_denied_when_every_reachable_patient_withholds_and_break_the_glass_does_not_lift_a_population_screen()
    {
        var emergency = Requests.Grant("Practitioner/pop-er", "Patient/popb-1");
        emergency.Grant.BreakGlass = true;
        await _admin.CreateGrantAsync(emergency);
        await _admin.PutConsentAsync(Put("popb-notorg", Fixture("consent-example-notOrg", "popb", "popb-notorg")));
        string[] f001 = ["Organization/f001"];

        var denied = await _decisions.CheckAsync(SearchAllObservations("Practitioner/pop-er", affiliations: f001));
        Assert.Equal(Outcome.Deny, denied.Outcome);
        Assert.Equal("consent.withholds-all", Assert.Single(denied.Reasons, r => r.Outcome == Outcome.Deny).Code);
        Assert.Empty((await Pages(Token("Practitioner/pop-er", affiliations: f001))).SelectMany(p => p.PatientIds));

        // Emergency access is to a named patient: it lifts this patient's consent when named, never a population's.
        var glass = await _decisions.CheckAsync(SearchAllObservations("Practitioner/pop-er", "BTG", f001, breakGlassReason: "mass casualty triage"));
        Assert.Equal(Outcome.Deny, glass.Outcome);
        Assert.False(glass.BreakGlass);
        Assert.Contains("names its patient", Assert.Single(glass.Reasons, r => r.Outcome == Outcome.Deny).Message);
        Assert.Empty((await Pages(Token("Practitioner/pop-er", "BTG", f001, breakGlassReason: "mass casualty triage"))).SelectMany(p => p.PatientIds));
        var named = await _decisions.CheckAsync(ReadObservation("Practitioner/pop-er", "popb-1", "BTG", f001, breakGlassReason: "mass casualty triage"));
        Assert.Equal(Outcome.Permit, named.Outcome);
        Assert.True(named.BreakGlass);
    }

    [Fact]
    public async Task More_exclusions_than_fit_inline_make_the_restriction_incomplete_and_the_stream_carries_them_all()
    {
        var members = new ChangeGroupMembersRequest { GroupId = "popm-ward", Reason = "roster" };
        members.Upsert.AddRange(Enumerable.Range(0, 600).Select(n => new GroupMember { PatientId = $"popm-{n}" }));
        await _admin.ChangeGroupMembersAsync(members);
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/pop-many", "Group/popm-ward"));
        // 501 opt-outs of Organization/f001, imported in one NDJSON transaction.
        var template = System.Text.Json.JsonSerializer.Serialize(System.Text.Json.JsonDocument.Parse(Fixture("consent-example-notOrg")).RootElement);
        var ndjson = string.Join("\n", Enumerable.Range(0, 501).Select(n => template
            .Replace("\"Patient/f001\"", $"\"Patient/popm-{n}\"").Replace("\"id\":\"consent-example-notOrg\"", $"\"id\":\"popm-c{n}\"")));
        using (var import = _admin.Import(new ImportRequest { Format = "ndjson", Content = ndjson, Reason = "consent registry sync" }))
        {
            while (await import.ResponseStream.MoveNext(TestContext.Current.CancellationToken))
            {
            }
        }
        string[] f001 = ["Organization/f001"];

        var search = await _decisions.CheckAsync(SearchAllObservations("Practitioner/pop-many", affiliations: f001));

        Assert.Equal(Outcome.Permit, search.Outcome);
        Assert.Equal(99, search.Obligation.Patients.PatientIds.Count);
        Assert.Empty(search.Obligation.Patients.ExcludedPatientIds);
        Assert.False(search.Obligation.Patients.Complete);
        var pages = await Pages(Token("Practitioner/pop-many", affiliations: f001));
        Assert.Equal(501, pages[0].ExcludedPatientIds.Count);
        Assert.Equal(99, pages.SelectMany(p => p.PatientIds).Count());
        Assert.DoesNotContain(pages.SelectMany(p => p.PatientIds), pages[0].ExcludedPatientIds.Contains);
    }

    [Fact]
    public async Task An_inactive_or_expired_consent_withholds_nothing_from_a_population_search()
    {
        await Panel("Practitioner/pop-old", "popo-1", "popo-2");
        var inactive = Fixture("consent-example-notOrg", "popo", "popo-inactive").Replace("\"status\": \"active\"", "\"status\": \"inactive\"");
        await _admin.PutConsentAsync(Put("popo-inactive", inactive));
        var expired = Fixture("consent-example-notOrg", "popo", "popo-expired").Replace("Patient/popo-1", "Patient/popo-2")
            .Replace("\"end\": \"2099-12-31\"", "\"end\": \"2016-12-31\"");
        await _admin.PutConsentAsync(Put("popo-expired", expired));

        var search = await _decisions.CheckAsync(SearchAllObservations("Practitioner/pop-old", affiliations: ["Organization/f001"]));

        Assert.Equal(["popo-1", "popo-2"], search.Obligation.Patients.PatientIds);
        Assert.Empty(search.Obligation.Patients.ExcludedPatientIds);
    }

    private async Task<List<AccessiblePatientsPage>> Pages(TokenContext token)
    {
        using var call = _decisions.StreamAccessiblePatients(new AccessiblePatientsRequest { Token = token, ResourceType = "Observation" });
        var pages = new List<AccessiblePatientsPage>();
        await foreach (var page in call.ResponseStream.ReadAllAsync(TestContext.Current.CancellationToken))
        {
            pages.Add(page);
        }
        return pages;
    }
}
