using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Audit;

/// <summary>
/// The hash chains catch a row edited or deleted directly in PostgreSQL, and say where. A process
/// writes several chains (PermissionLayer:Audit:Writers); the broken one is named and the others
/// stay intact.
/// </summary>
public sealed class ChainVerificationTests
{
    [Fact]
    public async Task An_edited_row_breaks_its_chain_at_that_row()
    {
        var (database, host, ids) = await StartWithDecisionsAsync("chain-edit");
        await using var _ = host;
        var audit = new AuditService.AuditServiceClient(host.Channel);
        var intact = await audit.VerifyChainAsync(new VerifyChainRequest());
        Assert.True(intact.Intact);
        Assert.Equal(5, intact.Chains.Sum(c => c.RowsVerified));

        var edited = await AuditTable.RowAsync(database, ids[2]);
        // A deny rewritten as a permit: the tampering an audit must reveal.
        Assert.Equal(1, await AuditTable.ExecuteAsync(database, "UPDATE audit.decision SET outcome = 'permit' WHERE decision_id = @id", ids[2]));

        var verdict = await audit.VerifyChainAsync(new VerifyChainRequest());
        Assert.False(verdict.Intact);
        var broken = Assert.Single(verdict.Chains, c => !c.Intact);
        Assert.Equal(edited!["writer_id"]!.ToString(), broken.WriterId);
        Assert.Equal((long)edited["sequence"]!, broken.BrokenAtSequence);
        Assert.Equal(ids[2], broken.BrokenDecisionId);
        Assert.Contains("edited", broken.Problem);
        Assert.Equal((long)edited["sequence"]! - 1, broken.RowsVerified);
    }

    [Fact]
    public async Task A_deleted_row_breaks_its_chain_at_its_sequence()
    {
        var (database, host, _) = await StartWithDecisionsAsync("chain-delete");
        await using var _ = host;
        var audit = new AuditService.AuditServiceClient(host.Channel);
        // Five rows on at most four chains: some chain has two, and its first is not its last.
        var first = await AuditTable.ScalarAsync<Guid>(database, """
            SELECT decision_id FROM audit.decision d WHERE sequence = 1
            AND EXISTS (SELECT 1 FROM audit.decision n WHERE n.writer_id = d.writer_id AND n.sequence = 2) LIMIT 1
            """);
        var deleted = await AuditTable.RowAsync(database, first.ToString());
        Assert.Equal(1, await AuditTable.ExecuteAsync(database, "DELETE FROM audit.decision WHERE decision_id = @id", first.ToString()));

        var broken = Assert.Single((await audit.VerifyChainAsync(new VerifyChainRequest())).Chains, c => !c.Intact);
        Assert.Equal(deleted!["writer_id"]!.ToString(), broken.WriterId);
        Assert.Equal(1, broken.BrokenAtSequence);
        Assert.Contains("missing", broken.Problem);
        Assert.Equal(0, broken.RowsVerified);
    }

    [Fact]
    public async Task A_deleted_last_row_is_caught_by_the_writers_recorded_head()
    {
        var (database, host, ids) = await StartWithDecisionsAsync("chain-tail");
        await using var _ = host;
        var audit = new AuditService.AuditServiceClient(host.Channel);
        var last = await AuditTable.RowAsync(database, ids[^1]);
        // No gap is left behind (nothing later was written on any chain): only the head, moved in
        // the same statement as the rows, shows it.
        Assert.Equal(1, await AuditTable.ExecuteAsync(database, "DELETE FROM audit.decision WHERE decision_id = @id", ids[^1]));

        var broken = Assert.Single((await audit.VerifyChainAsync(new VerifyChainRequest())).Chains, c => !c.Intact);
        Assert.Equal(last!["writer_id"]!.ToString(), broken.WriterId);
        Assert.Equal((long)last["sequence"]!, broken.BrokenAtSequence);
        Assert.Contains("head", broken.Problem);
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
            // One at a time, so that within each chain the sequence follows the list.
            ids.Add((await decisions.CheckAsync(Requests.ReadPatient("Practitioner/chained", $"ch-{i}"))).DecisionId);
        }
        return (database, host, ids);
    }
}
