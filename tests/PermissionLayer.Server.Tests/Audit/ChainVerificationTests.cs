using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Audit;

/// <summary>The hash chain catches a row edited or deleted directly in PostgreSQL, and says where.</summary>
public sealed class ChainVerificationTests
{
    [Fact]
    public async Task An_edited_row_breaks_the_chain_at_that_row()
    {
        var (database, host, ids) = await StartWithDecisionsAsync("chain-edit");
        await using var _ = host;
        var audit = new AuditService.AuditServiceClient(host.Channel);
        var intact = await audit.VerifyChainAsync(new VerifyChainRequest());
        Assert.True(intact.Intact);
        Assert.Equal(5, Assert.Single(intact.Chains).RowsVerified);

        var edited = await AuditTable.RowAsync(database, ids[2]);
        // A deny rewritten as a permit: the tampering an audit must reveal.
        Assert.Equal(1, await AuditTable.ExecuteAsync(database, "UPDATE audit.decision SET outcome = 'permit' WHERE decision_id = @id", ids[2]));

        var verdict = Assert.Single((await audit.VerifyChainAsync(new VerifyChainRequest())).Chains);
        Assert.False(verdict.Intact);
        Assert.Equal((long)edited!["sequence"]!, verdict.BrokenAtSequence);
        Assert.Equal(ids[2], verdict.BrokenDecisionId);
        Assert.Contains("edited", verdict.Problem);
        Assert.Equal(2, verdict.RowsVerified);
    }

    [Fact]
    public async Task A_deleted_row_breaks_the_chain_at_its_sequence()
    {
        var (database, host, ids) = await StartWithDecisionsAsync("chain-delete");
        await using var _ = host;
        var audit = new AuditService.AuditServiceClient(host.Channel);
        var deleted = await AuditTable.RowAsync(database, ids[1]);
        Assert.Equal(1, await AuditTable.ExecuteAsync(database, "DELETE FROM audit.decision WHERE decision_id = @id", ids[1]));

        var verdict = Assert.Single((await audit.VerifyChainAsync(new VerifyChainRequest())).Chains);
        Assert.False(verdict.Intact);
        Assert.Equal((long)deleted!["sequence"]!, verdict.BrokenAtSequence);
        Assert.Contains("missing", verdict.Problem);
        Assert.Equal(1, verdict.RowsVerified);
    }

    [Fact]
    public async Task A_deleted_last_row_is_caught_by_the_writers_recorded_head()
    {
        var (database, host, ids) = await StartWithDecisionsAsync("chain-tail");
        await using var _ = host;
        var audit = new AuditService.AuditServiceClient(host.Channel);
        var last = await AuditTable.RowAsync(database, ids[^1]);
        // No gap is left behind: only the head, moved in the same transaction as the rows, shows it.
        Assert.Equal(1, await AuditTable.ExecuteAsync(database, "DELETE FROM audit.decision WHERE decision_id = @id", ids[^1]));

        var verdict = Assert.Single((await audit.VerifyChainAsync(new VerifyChainRequest())).Chains);
        Assert.False(verdict.Intact);
        Assert.Equal((long)last!["sequence"]!, verdict.BrokenAtSequence);
        Assert.Contains("head", verdict.Problem);
    }

    private static async Task<(string Database, ServerHost Host, List<string> Ids)> StartWithDecisionsAsync(string purpose)
    {
        var database = await PostgresServer.CreateDatabaseAsync(purpose);
        var host = await ServerHost.StartAsync(database);
        await new AdminService.AdminServiceClient(host.Channel).CreateGrantAsync(Requests.TrustClientForAllPatients());
        await new AdminService.AdminServiceClient(host.Channel).CreateGrantAsync(Requests.Grant("Practitioner/chained", "Patient/ch-0"));
        var decisions = new DecisionService.DecisionServiceClient(host.Channel);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            // One at a time, so that the sequence follows the list.
            ids.Add((await decisions.CheckAsync(Requests.ReadPatient("Practitioner/chained", $"ch-{i}"))).DecisionId);
        }
        return (database, host, ids);
    }
}
