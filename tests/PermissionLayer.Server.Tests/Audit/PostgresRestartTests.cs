using Grpc.Core;
using Grpc.Health.V1;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Audit;

/// <summary>
/// PostgreSQL stopped and started again (issue 14), on a cluster of this test's own: pg_ctl's fast
/// shutdown terminates the server's sessions (an administrator command, not a reset connection), and
/// the restarted server is a new process on the same port. While it is down nothing is permitted
/// that would go unrecorded, every refusal is UNAVAILABLE (so clients retry), health says so; once
/// it is back, decisions are answered and audited again and no answered decision is missing.
/// </summary>
public sealed class PostgresRestartTests
{
    [Theory]
    [InlineData("Durable")]
    [InlineData("Queued")]
    public async Task Decisions_fail_closed_while_PostgreSQL_is_stopped_and_recover_when_it_starts_again(string mode)
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        await using var host = await ServerHost.StartAsync(postgres.ConnectionString, new Dictionary<string, string?> { ["PermissionLayer:Audit:Mode"] = mode });
        var decisions = new DecisionService.DecisionServiceClient(host.Channel);
        var admin = new AdminService.AdminServiceClient(host.Channel);
        var health = new Health.HealthClient(host.Channel);
        await admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        await admin.CreateGrantAsync(Requests.Grant("Practitioner/restart", "Patient/r-1"));
        Assert.Equal(Outcome.Permit, (await decisions.CheckAsync(Requests.ReadPatient("Practitioner/restart", "r-1"))).Outcome);

        await postgres.StopAsync();
        var answered = new List<string>();
        var refusals = new Dictionary<StatusCode, int>();
        for (var i = 0; i < 200 && refusals.Count == 0; i++)
        {
            try
            {
                answered.Add((await decisions.CheckAsync(Requests.ReadPatient("Practitioner/restart", "r-1"))).DecisionId);
            }
            catch (RpcException e)
            {
                refusals[e.StatusCode] = refusals.GetValueOrDefault(e.StatusCode) + 1;
            }
        }
        // Durable: not one decision without its row. Queued may answer until its writer's first failed write.
        Assert.Equal([StatusCode.Unavailable], refusals.Keys);
        if (mode == "Durable")
        {
            Assert.Empty(answered);
        }
        // A principal whose grain must load, and a write, need PostgreSQL: UNAVAILABLE, not a guess.
        Assert.Equal(StatusCode.Unavailable, (await Assert.ThrowsAsync<RpcException>(() =>
            decisions.CheckAsync(Requests.ReadPatient("Practitioner/restart-cold", "r-1")).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.Unavailable, (await Assert.ThrowsAsync<RpcException>(() =>
            admin.CreateGrantAsync(Requests.Grant("Practitioner/restart", "Patient/r-2")).ResponseAsync)).StatusCode);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, await HealthBecomesAsync(health, HealthCheckResponse.Types.ServingStatus.NotServing));

        await postgres.StartAgainAsync();
        CheckResponse? after = null;
        for (var attempt = 0; after is null; attempt++)
        {
            try
            {
                after = await decisions.CheckAsync(Requests.ReadPatient("Practitioner/restart", "r-1"));
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && attempt < 120)
            {
                await Task.Delay(500); // terminated pooled connections are discarded as they fail
            }
        }
        Assert.Equal(Outcome.Permit, after.Outcome);
        if (mode == "Durable")
        {
            Assert.NotNull(await AuditTable.RowAsync(postgres.ConnectionString, after.DecisionId)); // answered after its commit
        }
        answered.Add(after.DecisionId);
        // The write refused during the outage left nothing behind; one made now is in force.
        Assert.Equal(Outcome.Deny, (await decisions.CheckAsync(Requests.ReadPatient("Practitioner/restart", "r-2"))).Outcome);
        await admin.CreateGrantAsync(Requests.Grant("Practitioner/restart", "Patient/r-2"));
        Assert.Equal(Outcome.Permit, (await decisions.CheckAsync(Requests.ReadPatient("Practitioner/restart", "r-2"))).Outcome);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await HealthBecomesAsync(health, HealthCheckResponse.Types.ServingStatus.Serving));
        var verdict = await new AuditService.AuditServiceClient(host.Channel).VerifyChainAsync(new VerifyChainRequest());
        Assert.True(verdict.Intact, string.Join("; ", verdict.Chains.Select(c => c.Problem)));
        // Answered during the outage (Queued): written once PostgreSQL is back; a graceful stop waits for them.
        await host.DisposeAsync();
        foreach (var id in answered)
        {
            Assert.NotNull(await AuditTable.RowAsync(postgres.ConnectionString, id));
        }
    }

    /// <summary>The gRPC health status once it is <paramref name="expected"/>, or the last one seen after 30 s (it is published every 5 s).</summary>
    private static async Task<HealthCheckResponse.Types.ServingStatus> HealthBecomesAsync(Health.HealthClient health, HealthCheckResponse.Types.ServingStatus expected)
    {
        var status = (await health.CheckAsync(new HealthCheckRequest())).Status;
        for (var waited = 0; status != expected && waited < 60; waited++)
        {
            await Task.Delay(500);
            status = (await health.CheckAsync(new HealthCheckRequest())).Status;
        }
        return status;
    }
}
