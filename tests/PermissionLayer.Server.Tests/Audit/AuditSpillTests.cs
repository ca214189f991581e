using System.Text.Json;
using Grpc.Core;
using Npgsql;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Core.Audit;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Storage.Audit;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;
using Microsoft.Extensions.DependencyInjection;

namespace PermissionLayer.Server.Tests.Audit;

/// <summary>
/// Queued mode, audit store down, graceful shutdown times out: the answered decisions are spilled
/// to a local file and written at the next start, each exactly once, with its own id and time.
/// </summary>
public sealed class AuditSpillTests
{
    [Fact]
    public async Task Decisions_answered_while_the_store_is_down_are_written_after_a_restart()
    {
        var direct = new NpgsqlConnectionStringBuilder(await PostgresServer.CreateDatabaseAsync("audit-spill"));
        await using var relay = new TcpRelay(direct.Host!, direct.Port);
        var viaRelay = relay.Route(direct.ConnectionString);
        var spillPath = Path.Combine(Path.GetTempPath(), "permissionlayer-tests", $"spill-{Guid.NewGuid():N}.ndjson");
        var settings = new Dictionary<string, string?> { ["PermissionLayer:Audit:Mode"] = "Queued", ["PermissionLayer:Audit:SpillPath"] = spillPath };
        var host = await ServerHost.StartAsync(viaRelay, settings);
        var answered = new List<string>();
        try
        {
            var decisions = new DecisionService.DecisionServiceClient(host.Channel);
            await new AdminService.AdminServiceClient(host.Channel).CreateGrantAsync(Requests.TrustClientForAllPatients());
            await new AdminService.AdminServiceClient(host.Channel).CreateGrantAsync(Requests.Grant("Practitioner/spilled", "Patient/s-1"));
            var warm = await decisions.CheckAsync(Requests.ReadPatient("Practitioner/spilled", "s-1")); // warm grains
            Assert.Equal(Outcome.Permit, warm.Outcome);
            // Queued: the warm-up's row is written moments later. Cut only after it is in, or its failed
            // write (on a loaded machine) would close the queue before any decision is answered.
            for (var waited = 0; await AuditTable.RowAsync(direct.ConnectionString, warm.DecisionId) is null && waited < 300; waited++)
            {
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }

            relay.Cut();
            // Queued mode answers until the writer's first failed write, then fails closed.
            for (var refused = false; !refused && answered.Count < 1000;)
            {
                try
                {
                    answered.Add((await decisions.CheckAsync(Requests.ReadPatient("Practitioner/spilled", "s-1"))).DecisionId);
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
                {
                    refused = true;
                }
            }
        }
        finally
        {
            // The store is still down when the stop's deadline passes.
            await host.StopAsync(TimeSpan.FromSeconds(2));
        }
        Assert.NotEmpty(answered);
        Assert.Equal(0, await AuditTable.CountAsync(direct.ConnectionString, $"decision_id IN ({string.Join(",", answered.Select(id => $"'{id}'"))})"));
        var spilled = File.ReadAllLines(spillPath).Select(l => JsonSerializer.Deserialize<AuditedDecision>(l)!).ToDictionary(d => d.DecisionId.ToString());
        Assert.All(answered, id => Assert.Contains(id, spilled.Keys));

        // The store is back; the next start writes the spilled records before it takes decisions.
        await using var restarted = await ServerHost.StartAsync(direct.ConnectionString, settings);
        Assert.False(File.Exists(spillPath));
        var newChains = restarted.Services.GetRequiredService<AuditLogWriter>().WriterIds.Select(id => id.ToString()).ToList();
        foreach (var id in answered)
        {
            var row = await AuditTable.RowAsync(direct.ConnectionString, id); // fails on a second row
            Assert.NotNull(row);
            Assert.Equal(spilled[id].DecidedAt, new DateTimeOffset((DateTime)row["decided_at"]!));
            Assert.Equal("Practitioner/spilled", row["fhir_user"]);
            Assert.Contains(row["writer_id"]!.ToString(), newChains);
        }
        var verdict = await new AuditService.AuditServiceClient(restarted.Channel).VerifyChainAsync(new VerifyChainRequest());
        Assert.True(verdict.Intact, string.Join("; ", verdict.Chains.Select(c => c.Problem)));
    }
}
