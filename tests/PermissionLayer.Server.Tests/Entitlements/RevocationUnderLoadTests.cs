using System.Collections.Concurrent;
using System.Diagnostics;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Entitlements;

/// <summary>No "new enemy" window: once a revoke is acknowledged, no check started afterwards permits.</summary>
public sealed class RevocationUnderLoadTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task No_permit_after_an_acknowledged_revoke_under_concurrent_checks()
    {
        var admin = new AdminService.AdminServiceClient(server.Host.Channel);
        var decisions = new DecisionService.DecisionServiceClient(server.Host.Channel);
        await admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        var grant = await admin.CreateGrantAsync(Requests.Grant("Practitioner/contested", "Patient/contested"));
        // Warm the grains, and show the grant permits before the contest starts.
        Assert.Equal(Outcome.Permit, (await decisions.CheckAsync(Requests.ReadPatient("Practitioner/contested", "contested"))).Outcome);

        var clock = Stopwatch.StartNew();
        var observations = new ConcurrentBag<(long StartedAt, Outcome Outcome)>();
        using var stop = new CancellationTokenSource();
        var checkers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var startedAt = clock.ElapsedTicks;
                var response = await decisions.CheckAsync(Requests.ReadPatient("Practitioner/contested", "contested"));
                observations.Add((startedAt, response.Outcome));
            }
        })).ToList();

        await Task.Delay(300, TestContext.Current.CancellationToken);
        await admin.RevokeGrantAsync(new RevokeGrantRequest { GrantId = grant.Grant.Id, Principal = "Practitioner/contested", Reason = "load test" });
        var acknowledgedAt = clock.ElapsedTicks;
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        stop.Cancel();
        await Task.WhenAll(checkers);

        var after = observations.Where(o => o.StartedAt > acknowledgedAt).ToList();
        Assert.NotEmpty(after);
        Assert.All(after, o => Assert.Equal(Outcome.Deny, o.Outcome));
    }
}
