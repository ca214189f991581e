using Npgsql;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Audit;

/// <summary>
/// Durable mode with several chains: while one chain's commit is held up, the next decision is
/// written by another chain instead of queueing behind it, and every chain still verifies.
/// </summary>
public sealed class OverlappingChainsTests
{
    [Fact]
    public async Task A_second_chain_takes_decisions_while_the_first_chains_commit_waits()
    {
        var database = await PostgresServer.CreateDatabaseAsync("audit-overlap");
        await using var host = await ServerHost.StartAsync(database, new Dictionary<string, string?> { ["PermissionLayer:Audit:Writers"] = "2" });
        await new AdminService.AdminServiceClient(host.Channel).CreateGrantAsync(Requests.TrustClientForAllPatients());
        var decisions = new DecisionService.DecisionServiceClient(host.Channel);
        await decisions.CheckAsync(Requests.ReadPatient("Practitioner/overlap", "o-0")); // warm grains and partition

        // Every COPY ends in its statement trigger moving the chain head in audit.writer: with that
        // table locked, a chain's commit waits there (a slow commit, made visible in pg_locks).
        await using var blocker = new NpgsqlConnection(database);
        await blocker.OpenAsync();
        await using var hold = await blocker.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE audit.writer IN EXCLUSIVE MODE", blocker, hold))
        {
            await lockTable.ExecuteNonQueryAsync();
        }
        var first = decisions.CheckAsync(Requests.ReadPatient("Practitioner/overlap", "o-1")).ResponseAsync;
        await WaitForCommitsWaitingAsync(database, 1);
        var second = decisions.CheckAsync(Requests.ReadPatient("Practitioner/overlap", "o-2")).ResponseAsync;
        // The second decision reaches a COPY of its own while the first is still uncommitted.
        await WaitForCommitsWaitingAsync(database, 2);
        Assert.False(first.IsCompleted);
        await hold.RollbackAsync();

        var rows = new[] { await AuditTable.RowAsync(database, (await first).DecisionId), await AuditTable.RowAsync(database, (await second).DecisionId) };
        Assert.All(rows, Assert.NotNull);
        Assert.NotEqual(rows[0]!["writer_id"], rows[1]!["writer_id"]);
        var verdict = await new AuditService.AuditServiceClient(host.Channel).VerifyChainAsync(new VerifyChainRequest());
        Assert.True(verdict.Intact, string.Join("; ", verdict.Chains.Select(c => c.Problem)));
        Assert.Equal(2, verdict.Chains.Count);
        Assert.Equal(3, verdict.Chains.Sum(c => c.RowsVerified));
    }

    /// <summary>Waits until this many audit commits wait for the lock on audit.writer.</summary>
    private static async Task WaitForCommitsWaitingAsync(string database, int count)
    {
        while (await AuditTable.ScalarAsync<long>(database,
            "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'audit.writer'::regclass") < count)
        {
            await Task.Delay(20);
        }
    }
}
