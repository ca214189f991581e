using PermissionLayer.Contracts.V1;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Slice;

public sealed class RestartDurabilityTests
{
    [Fact]
    public async Task Grant_survives_a_restart_of_the_service()
    {
        var database = await PostgresServer.CreateDatabaseAsync("restart");
        string grantId;
        long revision;
        await using (var first = await ServerHost.StartAsync(database))
        {
            var admin = new AdminService.AdminServiceClient(first.Channel);
            await admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
            var created = await admin.CreateGrantAsync(Requests.Grant("Practitioner/durable", "Patient/D"));
            grantId = created.Grant.Id;
            revision = created.Revision;
        }

        await using var second = await ServerHost.StartAsync(database);
        var decision = await new DecisionService.DecisionServiceClient(second.Channel)
            .CheckAsync(Requests.ReadPatient("Practitioner/durable", "D"));
        Assert.Equal(Outcome.Permit, decision.Outcome);
        // A restarted node reports the committed revision, not zero.
        Assert.True(decision.Revision >= revision, $"revision {decision.Revision} < {revision}");
        Assert.Contains(decision.Reasons, r => r.Source.Contains(grantId));
        var listed = await new AdminService.AdminServiceClient(second.Channel)
            .ListGrantsAsync(new ListGrantsRequest { Principal = "Practitioner/durable" });
        Assert.Equal(grantId, Assert.Single(listed.Grants).Id);
    }
}
