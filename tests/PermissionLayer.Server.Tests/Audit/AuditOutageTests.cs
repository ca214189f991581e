using Grpc.Core;
using Npgsql;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Audit;

/// <summary>
/// With the audit store unreachable, even decisions that need no PostgreSQL (warm grains) fail
/// closed with UNAVAILABLE, in both modes; once it is back they are answered and recorded again.
/// </summary>
public sealed class AuditOutageTests
{
    [Theory]
    [InlineData("Durable")]
    [InlineData("Queued")]
    public async Task Decisions_fail_closed_while_the_audit_store_is_down_and_recover_after(string mode)
    {
        var direct = new NpgsqlConnectionStringBuilder(await PostgresServer.CreateDatabaseAsync("audit-outage"));
        await using var relay = new TcpRelay(direct.Host!, direct.Port);
        var viaRelay = relay.Route(direct.ConnectionString);
        await using var host = await ServerHost.StartAsync(viaRelay, new Dictionary<string, string?> { ["PermissionLayer:Audit:Mode"] = mode });
        var decisions = new DecisionService.DecisionServiceClient(host.Channel);
        await new AdminService.AdminServiceClient(host.Channel).CreateGrantAsync(Requests.TrustClientForAllPatients());
        await new AdminService.AdminServiceClient(host.Channel).CreateGrantAsync(Requests.Grant("Practitioner/warm", "Patient/w-1"));
        // Warm the grains: from here on the decision itself needs no PostgreSQL.
        Assert.Equal(Outcome.Permit, (await decisions.CheckAsync(Requests.ReadPatient("Practitioner/warm", "w-1"))).Outcome);

        relay.Cut();
        // Durable mode fails the very first decision. Queued mode may answer decisions until the
        // writer's first failed write (they stay queued and are written later); then it fails closed.
        var answeredDuringOutage = new List<string>();
        RpcException? refused = null;
        while (refused is null && answeredDuringOutage.Count < 1000)
        {
            try
            {
                answeredDuringOutage.Add((await decisions.CheckAsync(Requests.ReadPatient("Practitioner/warm", "w-1"))).DecisionId);
            }
            catch (RpcException e)
            {
                refused = e;
            }
        }
        Assert.NotNull(refused);
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        if (mode == "Durable")
        {
            Assert.Empty(answeredDuringOutage);
        }

        relay.Restore();
        CheckResponse? after = null;
        var unavailableAfterRestore = 0;
        var restored = System.Diagnostics.Stopwatch.StartNew();
        for (var attempt = 0; after is null; attempt++, unavailableAfterRestore++)
        {
            try
            {
                after = await decisions.CheckAsync(Requests.ReadPatient("Practitioner/warm", "w-1"));
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && attempt < 20)
            {
                await Task.Delay(500); // broken pooled connections are discarded one failure at a time
            }
        }
        Assert.Equal(Outcome.Permit, after.Outcome);
        Assert.NotNull(await AuditTable.RowAsync(direct.ConnectionString, after.DecisionId));
        var verdict = await new AuditService.AuditServiceClient(host.Channel).VerifyChainAsync(new VerifyChainRequest());
        Assert.True(verdict.Intact, string.Join("; ", verdict.Chains.Select(c => c.Problem)));
        // Nothing answered during the outage was dropped. They are written by the chain that held
        // them, which may still be backing off after its failures while another chain writes the
        // decision above: a graceful stop waits for them.
        await host.DisposeAsync();
        foreach (var id in answeredDuringOutage)
        {
            Assert.NotNull(await AuditTable.RowAsync(direct.ConnectionString, id));
        }
        SlowScenarios.Report($"{mode}: {answeredDuringOutage.Count} decisions answered (queued) before the first UNAVAILABLE, "
            + $"{unavailableAfterRestore} UNAVAILABLE after the restore, answered again {restored.Elapsed.TotalSeconds:F1} s after it; "
            + $"0 of {answeredDuringOutage.Count + 1} answered decisions missing from audit.decision");
    }
}
