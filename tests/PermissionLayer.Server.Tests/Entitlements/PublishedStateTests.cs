using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Entitlements;

/// <summary>
/// Decisions read a principal's state from the activation on this silo without a grain call; once
/// that activation has ended, its state must no longer answer, or a change made while no activation
/// held the principal (by another node, an import) would be missed.
/// </summary>
public sealed class PublishedStateTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task After_its_activation_ends_a_principal_is_answered_from_PostgreSQL_not_from_the_ended_activation()
    {
        var admin = new AdminService.AdminServiceClient(server.Host.Channel);
        var decisions = new DecisionService.DecisionServiceClient(server.Host.Channel);
        await admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        await admin.CreateGrantAsync(Requests.Grant("Practitioner/ended", "Patient/ended"));
        Assert.Equal(Outcome.Permit, (await decisions.CheckAsync(Requests.ReadPatient("Practitioner/ended", "ended"))).Outcome);

        await CollectPrincipalActivationsAsync();
        // Revoked behind every activation's back, as a node that since failed might have done.
        Assert.Equal(1, await GrantRows.RevokeAllAsync(server.ConnectionString, "Practitioner/ended", "behind the grain"));

        var after = await decisions.CheckAsync(Requests.ReadPatient("Practitioner/ended", "ended"));
        Assert.Equal(Outcome.Deny, after.Outcome);
        Assert.Contains(after.Reasons, r => r.Code == "user.no-grant");
    }

    /// <summary>Ends every idle principal activation, and waits until none is left.</summary>
    private async Task CollectPrincipalActivationsAsync()
    {
        var management = server.Host.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await management.ForceActivationCollection(TimeSpan.Zero);
            var statistics = await management.GetSimpleGrainStatistics();
            if (!statistics.Any(s => s.GrainType.EndsWith(".PrincipalGrain", StringComparison.Ordinal) && s.ActivationCount > 0))
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, "principal activations were not collected");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
