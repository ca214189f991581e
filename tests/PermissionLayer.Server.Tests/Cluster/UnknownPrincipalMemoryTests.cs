using Microsoft.Extensions.DependencyInjection;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Cluster;

/// <summary>
/// Issue 14 item 13: a flood of Checks for principals the service has never heard of must not leave
/// an activation (about 5.7 KB each) per principal behind for the collection age (15 minutes): an
/// activation that holds no entitlement ends after <c>Cluster:EmptyPrincipalLifetimeSeconds</c>.
/// Such a principal is still denied, and a grant created later — through its grain, or in a batch
/// while its empty activation still lives — is seen by the next decision.
/// </summary>
public sealed class UnknownPrincipalMemoryTests
{
    private const int Flood = 3_000;

    [Fact]
    public async Task A_flood_of_unknown_principals_leaves_no_activation_behind_and_they_stay_denied()
    {
        var database = await PostgresServer.CreateDatabaseAsync("unknown-principals");
        await using var host = await ServerHost.StartAsync(database, new Dictionary<string, string?>
        {
            ["PermissionLayer:Cluster:EmptyPrincipalLifetimeSeconds"] = "3",
        });
        var admin = new AdminService.AdminServiceClient(host.Channel);
        var decisions = new DecisionService.DecisionServiceClient(host.Channel);
        await admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        var management = host.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        var before = RetainedBytes();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
        {
            var denied = 0;
            for (var i = w; i < Flood; i += 16)
            {
                var decision = await decisions.CheckAsync(Requests.ReadPatient($"Practitioner/never-seen-{i}", "some-patient"));
                denied += decision.Outcome == Outcome.Deny && decision.Reasons.Any(r => r.Code == "user.no-grant") ? 1 : 0;
            }
            return denied;
        })));
        Assert.Equal(Flood, outcomes.Sum()); // fail closed: no entitlement, no permit
        var whileActive = await PrincipalActivationsAsync(management);
        var perPrincipalActive = (RetainedBytes() - before) / (double)Flood;
        // The last seconds' principals are still active: the count is of the right grain type.
        Assert.True(whileActive > 0, "no principal activation counted right after the flood");

        // The empty activations end on their own; nothing forces them.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        long left;
        while ((left = await PrincipalActivationsAsync(management)) > Flood / 100 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
        var perPrincipalAfter = (RetainedBytes() - before) / (double)Flood;
        SlowScenarios.Report(
            $"{Flood} unknown principals: {whileActive} principal activations right after the flood ({perPrincipalActive:F0} bytes retained each), "
            + $"{left} after their lifetime ({perPrincipalAfter:F0} bytes retained each)");
        Assert.True(left <= Flood / 100, $"{left} of {Flood} empty principal activations still alive 30 s after the flood");

        // Still denied after its activation ended (a new one loads from PostgreSQL) ...
        Assert.Equal(Outcome.Deny, (await decisions.CheckAsync(Requests.ReadPatient("Practitioner/never-seen-1", "some-patient"))).Outcome);
        // ... a grant created later through the grain is seen ...
        await admin.CreateGrantAsync(Requests.Grant("Practitioner/never-seen-2", "Patient/some-patient"));
        Assert.Equal(Outcome.Permit, (await decisions.CheckAsync(Requests.ReadPatient("Practitioner/never-seen-2", "some-patient"))).Outcome);
        // ... and so is one committed by a batch while the principal's empty activation is alive.
        Assert.Equal(Outcome.Deny, (await decisions.CheckAsync(Requests.ReadPatient("Practitioner/never-seen-3", "some-patient"))).Outcome);
        var batch = new ApplyChangesRequest();
        batch.Changes.Add(new BatchChange { CreateGrant = Requests.Grant("Practitioner/never-seen-3", "Patient/some-patient") });
        await admin.ApplyChangesAsync(batch);
        Assert.Equal(Outcome.Permit, (await decisions.CheckAsync(Requests.ReadPatient("Practitioner/never-seen-3", "some-patient"))).Outcome);
        // A principal with a grant is not ended early: it still permits after several empty lifetimes.
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
        Assert.Equal(Outcome.Permit, (await decisions.CheckAsync(Requests.ReadPatient("Practitioner/never-seen-2", "some-patient"))).Outcome);
    }

    /// <summary>Activations of PrincipalGrain (Orleans names the type with its assembly: "Namespace.Type,Assembly").</summary>
    private static async Task<long> PrincipalActivationsAsync(IManagementGrain management) =>
        (await management.GetSimpleGrainStatistics())
            .Where(s => s.GrainType.Split(',')[0].EndsWith(".PrincipalGrain", StringComparison.Ordinal)).Sum(s => (long)s.ActivationCount);

    /// <summary>Managed bytes after a full, compacting collection (other test classes share the process: a figure to report, not to assert on).</summary>
    private static long RetainedBytes()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
