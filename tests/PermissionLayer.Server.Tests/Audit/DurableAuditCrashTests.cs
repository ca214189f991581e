using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Storage;
using PermissionLayer.Storage.ApiKeys;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Audit;

/// <summary>Durable mode: a decision that was answered is in the audit log even if the process dies right after.</summary>
public sealed class DurableAuditCrashTests
{
    [Fact]
    public async Task Every_answered_decision_survives_a_kill_of_the_server_process()
    {
        var database = await PostgresServer.CreateDatabaseAsync("audit-crash");
        using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["PermissionLayer__Storage__ConnectionString"] = database,
            ["PermissionLayer__Cluster__ClusterId"] = "crash-" + Guid.NewGuid().ToString("N")[..8],
        });
        var factory = new PooledDbContextFactory<PermissionLayerDbContext>(
            new DbContextOptionsBuilder<PermissionLayerDbContext>().UseNpgsql(database).Options);
        var key = await new ApiKeyStore(factory).CreateAsync("crash-test", [CallerRoles.Pep, CallerRoles.Admin], "tests", DateTimeOffset.UtcNow);
        using var channel = AuthenticatedChannel.For(server.GrpcPort, key);
        await new AdminService.AdminServiceClient(channel).CreateGrantAsync(Requests.TrustClientForAllPatients());
        var decisions = new DecisionService.DecisionServiceClient(channel);

        // Many callers at once, so that answers come from shared group commits; kill while they run.
        var answered = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var callers = Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    answered.Add((await decisions.CheckAsync(Requests.ReadPatient($"Practitioner/crash-{w}", $"p-{i}"))).DecisionId);
                }
                catch (RpcException)
                {
                    return; // the process is gone
                }
            }
        })).ToList();
        while (answered.Count < 300)
        {
            await Task.Delay(20);
        }
        server.Kill();
        await stop.CancelAsync();
        await Task.WhenAll(callers);

        Assert.True(answered.Count >= 300);
        var ids = string.Join(",", answered.Select(id => $"'{id}'"));
        Assert.Equal(answered.Count, await AuditTable.CountAsync(database, $"decision_id IN ({ids})"));
    }
}
