using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Storage.Audit;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Audit;

/// <summary>Retention drops whole expired partitions, and what remains of a chain still verifies.</summary>
public sealed class AuditRetentionTests
{
    [Fact]
    public async Task Expired_partitions_are_dropped_and_the_remaining_chain_still_verifies()
    {
        var database = await PostgresServer.CreateDatabaseAsync("audit-retention");
        await using var host = await ServerHost.StartAsync(database);
        await new AdminService.AdminServiceClient(host.Channel).CreateGrantAsync(Requests.TrustClientForAllPatients());
        var decisions = new DecisionService.DecisionServiceClient(host.Channel);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await decisions.CheckAsync(Requests.ReadPatient("Practitioner/retained", $"r-{i}"))).DecisionId);
        }
        // Age the first two rows by two years, into a partition of their own (as if written then).
        var old = DateTimeOffset.UtcNow.AddYears(-2);
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await host.Services.GetRequiredService<AuditPartitions>().EnsureAsync(connection, [AuditPartitions.MonthOf(old)], CancellationToken.None);
        }
        foreach (var id in ids.Take(2))
        {
            Assert.Equal(1, await AuditTable.ExecuteAsync(database, $"UPDATE audit.decision SET decided_at = '{old:O}' WHERE decision_id = @id", id));
        }

        await host.Services.GetRequiredService<AuditRetention>().ApplyAsync(DateTimeOffset.UtcNow.AddDays(-365), CancellationToken.None);

        Assert.Equal(0, await AuditTable.CountAsync(database, $"decision_id IN ('{ids[0]}', '{ids[1]}')"));
        Assert.NotNull(await AuditTable.RowAsync(database, ids[2]));
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var partition = new NpgsqlCommand("SELECT to_regclass(@name) IS NULL", connection);
            partition.Parameters.AddWithValue("name", "audit." + AuditPartitions.NameOf(AuditPartitions.MonthOf(old)));
            Assert.True((bool)(await partition.ExecuteScalarAsync())!);
        }
        var verdict = await new AuditService.AuditServiceClient(host.Channel).VerifyChainAsync(new VerifyChainRequest());
        Assert.True(verdict.Intact, string.Join("; ", verdict.Chains.Select(c => c.Problem)));
        Assert.Equal(1, verdict.Chains.Sum(c => c.RowsVerified));
    }
}
