using Microsoft.Extensions.DependencyInjection;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Features.Demo;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Consents;

/// <summary>The demo seed's consent compiles, is stored through the patient's grain, and decides.</summary>
public sealed class DemoConsentTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Demo_patient_opts_out_of_research_only()
    {
        var seeder = ActivatorUtilities.CreateInstance<DemoDataSeeder>(server.Host.Services);
        await seeder.StartAsync(TestContext.Current.CancellationToken);
        await seeder.ExecuteTask!;
        var decisions = new DecisionService.DecisionServiceClient(server.Host.Channel);

        CheckRequest Read(string purpose) => new()
        {
            Token = new TokenContext { ClientId = "demo-app", FhirUser = "Practitioner/dr-alice", Scope = "user/Patient.rs", PurposeOfUse = purpose },
            Interaction = Interaction.Read,
            ResourceType = "Patient",
            ResourceId = "p-ben",
            Stored = new ResourceState { Facts = new ResourceFacts { Complete = true, Patients = { "p-ben" } } },
        };

        Assert.Equal(Outcome.Permit, (await decisions.CheckAsync(Read("TREAT"))).Outcome);
        var research = await decisions.CheckAsync(Read("HRESCH"));
        Assert.Equal(Outcome.Deny, research.Outcome);
        // The requester is told that consent denies, not which provision: that stays in the audit.
        var deny = Assert.Single(research.Reasons, r => r.Outcome == Outcome.Deny);
        Assert.Equal(("consent.deny", ""), (deny.Code, deny.Source));
    }
}
