using System.Text.Json;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Audit;

/// <summary>The audit row names the user's organization: from the token's affiliations, else from an imported PractitionerRole.</summary>
public sealed class UserOrganizationAuditTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private AdminService.AdminServiceClient Admin => new(fixture.Host.Channel);
    private DecisionService.DecisionServiceClient Decisions => new(fixture.Host.Channel);

    [Fact]
    public async Task The_organization_the_fhir_server_sends_is_recorded_and_a_system_token_has_none()
    {
        await Admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        await Admin.CreateGrantAsync(Requests.Grant("Practitioner/uo-doc", "Patient/uo-1"));
        var request = Requests.ReadPatient("Practitioner/uo-doc", "uo-1");
        request.Token.UserAffiliations.AddRange(["Group/uo-ward", "Organization/uo-hospital"]);

        var decision = await Decisions.CheckAsync(request);

        var row = await AuditTable.RowAsync(fixture.ConnectionString, decision.DecisionId);
        Assert.NotNull(row);
        Assert.Equal("Organization/uo-hospital", row["user_organization"]);
        var system = await Decisions.CheckAsync(Requests.ReadPatient("", "uo-1", "system/Patient.rs"));
        Assert.Null((await AuditTable.RowAsync(fixture.ConnectionString, system.DecisionId))!["user_organization"]);
    }

    [Fact]
    public async Task An_imported_practitioner_role_supplies_the_organization_when_the_token_has_none()
    {
        await Admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        await Admin.CreateGrantAsync(Requests.Grant("Practitioner/uo-role-doc", "Patient/uo-2"));
        var before = await Decisions.CheckAsync(Requests.ReadPatient("Practitioner/uo-role-doc", "uo-2"));
        Assert.Null((await AuditTable.RowAsync(fixture.ConnectionString, before.DecisionId))!["user_organization"]);

        var role = JsonSerializer.Serialize(new
        {
            resourceType = "PractitionerRole", id = "uo-role", active = true,
            practitioner = new { reference = "Practitioner/uo-role-doc" }, organization = new { reference = "Organization/uo-clinic" },
        });
        using (var import = Admin.Import(new ImportRequest { Format = "json", Content = role, Reason = "staff directory" }))
        {
            while (await import.ResponseStream.MoveNext(TestContext.Current.CancellationToken))
            {
            }
        }
        var after = await Decisions.CheckAsync(Requests.ReadPatient("Practitioner/uo-role-doc", "uo-2"));

        Assert.Equal(Outcome.Permit, after.Outcome);
        Assert.Equal("Organization/uo-clinic", (await AuditTable.RowAsync(fixture.ConnectionString, after.DecisionId))!["user_organization"]);
    }
}
