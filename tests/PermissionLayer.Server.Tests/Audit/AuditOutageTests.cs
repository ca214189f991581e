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
        var viaRelay = new NpgsqlConnectionStringBuilder(direct.ConnectionString)
        {
            Host = "127.0.0.1",
            Port = relay.Port,
            Timeout = 3,
            CommandTimeout = 5,
        }.ConnectionString;
        await using var host = await ServerHost.StartAsync(viaRelay, new Dictionary<string, string?> { ["PermissionLayer:Audit:Mode"] = mode });
        var decisions = new DecisionService.DecisionServiceClient(host.Channel);
        await new AdminService.AdminServiceClient(host.Channel).CreateGrantAsync(Requests.TrustClientForAllPatients());
        await new AdminService.AdminServiceClient(host.Channel).CreateGrantAsync(Requests.Grant("Practitioner/warm", "Patient/w-1"));
        // Warm the grains: from here on the decision itself needs no PostgreSQL.
        Assert.Equal(Outcome.Permit, (await decisions.CheckAsync(Requests.ReadPatient("Practitioner/warm", "w-1"))).Outcome);

        relay.Cut();
        // Queued mode may answer the first decision before its write fails; after that it fails closed.
        var failures = 0;
        for (var i = 0; i < 3; i++)
        {
            try
            {
                await decisions.CheckAsync(Requests.ReadPatient("Practitioner/warm", "w-1"));
                Assert.Equal("Queued", mode);
                Assert.Equal(0, i);
            }
            catch (RpcException e)
            {
                Assert.Equal(StatusCode.Unavailable, e.StatusCode);
                failures++;
            }
        }
        Assert.True(failures >= 2, $"{failures} of 3 decisions failed closed");

        relay.Restore();
        CheckResponse? after = null;
        for (var attempt = 0; after is null; attempt++)
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
    }
}
