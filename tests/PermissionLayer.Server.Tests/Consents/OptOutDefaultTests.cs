using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;
using static PermissionLayer.Server.Tests.Consents.ConsentRequests;

namespace PermissionLayer.Server.Tests.Consents;

/// <summary>
/// A deployment whose default is OPTOUT: a patient without consent is reached by nobody, so a search
/// over every patient becomes a search over the patients whose consent permits.
/// </summary>
public sealed class OptOutDefaultTests : IAsyncLifetime
{
    private ServerHost? _host;

    private ServerHost Host => _host!;

    public async ValueTask InitializeAsync()
    {
        var connection = await PostgresServer.CreateDatabaseAsync("optout");
        _host = await ServerHost.StartAsync(connection, new Dictionary<string, string?> { ["PermissionLayer:Consent:DefaultPolicyRule"] = "OPTOUT" });
        await new AdminService.AdminServiceClient(Host.Channel).CreateGrantAsync(Requests.TrustClientForAllPatients());
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Only_patients_whose_consent_permits_are_reached_by_a_population_search()
    {
        var admin = new AdminService.AdminServiceClient(Host.Channel);
        var decisions = new DecisionService.DecisionServiceClient(Host.Channel);
        foreach (var patient in new[] { "opt-2", "opt-9" })
        {
            await admin.CreateGrantAsync(Requests.Grant("Practitioner/opt-doc", $"Patient/{patient}"));
        }
        // OPTIN-based consent of opt-2 (denies research only); opt-9 has none, so the default denies.
        await admin.PutConsentAsync(Put("opt-consent", Fixture("consent-example-research", "opt", "opt-consent")));

        var panel = await decisions.CheckAsync(SearchAllObservations("Practitioner/opt-doc"));
        Assert.Equal(Outcome.Permit, panel.Outcome);
        Assert.Equal(["opt-2"], panel.Obligation.Patients.PatientIds);
        Assert.Equal(["opt-9"], panel.Obligation.Patients.ExcludedPatientIds);
        using (var stream = decisions.StreamAccessiblePatients(new AccessiblePatientsRequest { Token = Token("Practitioner/opt-doc"), ResourceType = "Observation" }))
        {
            var pages = new List<AccessiblePatientsPage>();
            await foreach (var page in stream.ResponseStream.ReadAllAsync(TestContext.Current.CancellationToken))
            {
                pages.Add(page);
            }
            Assert.Equal(["opt-2"], pages.SelectMany(p => p.PatientIds));
            Assert.Equal(["opt-9"], pages[0].ExcludedPatientIds);
        }

        var everyone = await decisions.CheckAsync(SearchAllObservations(null, scope: "system/Observation.rs"));
        Assert.Equal(Outcome.Permit, everyone.Outcome);
        Assert.False(everyone.Obligation.Patients.AllPatients);
        Assert.Equal(["opt-2"], everyone.Obligation.Patients.PatientIds);
        Assert.Contains(everyone.Reasons, r => r.Code == "consent.only-consenting");
        Assert.Contains(everyone.Obligation.Patients.GrantingSets, s => s.Term == Term.Consent);

        var research = await decisions.CheckAsync(SearchAllObservations(null, "HRESCH", scope: "system/Observation.rs"));
        Assert.Equal(Outcome.Deny, research.Outcome);
        Assert.Equal("consent.withholds-all", Assert.Single(research.Reasons, r => r.Outcome == Outcome.Deny).Code);
    }
}
