using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Audit;

/// <summary>Queued mode with a tiny queue: callers are slowed down, never is a record dropped, and shutdown flushes the queue.</summary>
public sealed class QueuedAuditTests
{
    [Fact]
    public async Task A_full_queue_slows_callers_and_every_decision_is_written_by_shutdown()
    {
        var database = await PostgresServer.CreateDatabaseAsync("audit-queued");
        var host = await ServerHost.StartAsync(database, new Dictionary<string, string?>
        {
            ["PermissionLayer:Audit:Mode"] = "Queued",
            ["PermissionLayer:Audit:QueueCapacity"] = "1",
            ["PermissionLayer:Audit:MaxBatchSize"] = "1",
        });
        var decisionIds = new List<string>();
        try
        {
            await new AdminService.AdminServiceClient(host.Channel).CreateGrantAsync(Requests.TrustClientForAllPatients());
            var decisions = new DecisionService.DecisionServiceClient(host.Channel);
            var answers = await Task.WhenAll(Enumerable.Range(0, 400).Select(i =>
                decisions.CheckAsync(Requests.ReadPatient($"Practitioner/queued-{i % 8}", $"q-{i}")).ResponseAsync));
            decisionIds.AddRange(answers.Select(a => a.DecisionId));
            var batch = new CheckBatchRequest();
            batch.Entries.AddRange(Enumerable.Range(0, 100).Select(i => Requests.ReadPatient("Practitioner/queued-batch", $"qb-{i}")));
            decisionIds.AddRange((await decisions.CheckBatchAsync(batch)).Results.Select(r => r.Decision.DecisionId));
        }
        finally
        {
            // Graceful shutdown writes whatever is still queued.
            await host.DisposeAsync();
        }

        Assert.Equal(500, decisionIds.Distinct().Count());
        Assert.Equal(500, await AuditTable.CountAsync(database));
        var ids = string.Join(",", decisionIds.Select(id => $"'{id}'"));
        Assert.Equal(500, await AuditTable.CountAsync(database, $"decision_id IN ({ids})"));
    }
}
