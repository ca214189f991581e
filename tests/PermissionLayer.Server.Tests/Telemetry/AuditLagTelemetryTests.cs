using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;
using N = PermissionLayer.Server.Features.Telemetry.TelemetryNames;

namespace PermissionLayer.Server.Tests.Telemetry;

/// <summary>
/// The age of the oldest unwritten audit row is what an operator watches in queued mode: answers
/// given, rows not yet in PostgreSQL. Its own server, on a relay that can cut PostgreSQL away.
/// </summary>
public sealed class AuditLagTelemetryTests
{
    [Fact]
    public async Task The_oldest_unwritten_age_grows_while_the_audit_store_is_down_and_is_zero_once_written()
    {
        var direct = new NpgsqlConnectionStringBuilder(await PostgresServer.CreateDatabaseAsync("audit-lag"));
        await using var relay = new TcpRelay(direct.Host!, direct.Port);
        await using var host = await ServerHost.StartAsync(relay.Route(direct.ConnectionString), new Dictionary<string, string?> { ["PermissionLayer:Audit:Mode"] = "Queued" });
        var decisions = new DecisionService.DecisionServiceClient(host.Channel);
        await new AdminService.AdminServiceClient(host.Channel).CreateGrantAsync(Requests.TrustClientForAllPatients());
        await new AdminService.AdminServiceClient(host.Channel).CreateGrantAsync(Requests.Grant("Practitioner/lag", "Patient/lag-1"));
        Assert.Equal(Outcome.Permit, (await decisions.CheckAsync(Requests.ReadPatient("Practitioner/lag", "lag-1"))).Outcome); // warm grains
        using var measured = new ServerMeasurements(host.Services.GetRequiredService<IMeterFactory>());
        double Age() => measured.Read().Last(m => m.Instrument == N.AuditOldestUnwrittenAge).Value;
        await WaitAsync(() => Age() == 0, "the warm-up row to be written");

        relay.Cut();
        // Queued: answered before the row is written, until the writer's first failure closes the queue.
        var answered = 0;
        while (answered < 1000)
        {
            try
            {
                await decisions.CheckAsync(Requests.ReadPatient("Practitioner/lag", "lag-1"));
                answered++;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                break;
            }
        }
        Assert.True(answered > 0, "queued mode answered no decision before the first failed write");
        await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);
        Assert.True(Age() >= 1.0, $"the oldest unwritten row is {Age()} s old after 1.5 s of outage");

        relay.Restore();
        await WaitAsync(() => Age() == 0, "the held rows to be written after the store is back");
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), $"timed out waiting for {what}");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }
}
