using System.Diagnostics;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Storage;
using PermissionLayer.Storage.ApiKeys;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Cluster;

/// <summary>
/// Two real service processes on loopback forming one Orleans cluster whose membership lives in our
/// PostgreSQL table: both answer, a grant written through one is seen by the other, and after one is
/// killed the other keeps answering (UNAVAILABLE while it fails over, never a wrong answer).
/// </summary>
public sealed class TwoNodeClusterTests
{
    [Fact]
    public async Task Survivor_keeps_answering_after_a_node_is_killed_and_no_acknowledged_grant_is_lost()
    {
        var database = await PostgresServer.CreateDatabaseAsync("cluster");
        var settings = new Dictionary<string, string>
        {
            ["PermissionLayer__Storage__ConnectionString"] = database,
            ["PermissionLayer__Cluster__Mode"] = "Postgres",
            ["PermissionLayer__Cluster__ClusterId"] = "two-node-" + Guid.NewGuid().ToString("N")[..8],
            // The default membership settings (NumVotesForDeathDeclaration 2 included: Orleans asks
            // a two-node cluster for one vote); FailoverWindowTests measures their window.
        };
        // The first node migrates; the second starts on a migrated database.
        using var first = await ServerProcess.StartAsync(settings);
        using var second = await ServerProcess.StartAsync(settings);
        var key = await CreateKeyAsync(database);
        using var host = new ClusterHosts(key, first, second);

        Assert.Equal(2, await ActiveMembersAsync(database));

        var admin = new AdminService.AdminServiceClient(host.First);
        await admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        var grants = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            await admin.CreateGrantAsync(Requests.Grant("Practitioner/clustered", $"Patient/c-{i}"));
            grants.Add($"c-{i}");
        }
        var onSecond = new DecisionService.DecisionServiceClient(host.Second);
        foreach (var patient in grants)
        {
            Assert.Equal(Outcome.Permit, (await onSecond.CheckAsync(Requests.ReadPatient("Practitioner/clustered", patient))).Outcome);
        }

        // A consent put through one node is applied by a population search on the other (the consent
        // registry is one grain for the cluster, wherever it lives).
        await admin.PutConsentAsync(Consents.ConsentRequests.Put("c-notorg",
            Consents.ConsentRequests.Fixture("consent-example-notOrg", "c", "c-notorg").Replace("Patient/c-1", "Patient/c-3")));
        await AssertPopulationSearchLeavesOutAsync(onSecond, "c-3", grants.Count - 1);

        first.Kill();
        var clock = Stopwatch.StartNew();
        var unavailable = 0;
        var answered = new HashSet<string>();
        while (answered.Count < grants.Count && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            foreach (var patient in grants.Except(answered).ToList())
            {
                try
                {
                    var decision = await onSecond.CheckAsync(Requests.ReadPatient("Practitioner/clustered", patient),
                        deadline: DateTime.UtcNow.AddSeconds(10));
                    // Failover may delay an answer; it must never change it.
                    Assert.Equal(Outcome.Permit, decision.Outcome);
                    answered.Add(patient);
                }
                catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
                {
                    unavailable++;
                    await Task.Delay(200);
                }
            }
        }
        Assert.Equal(grants.Count, answered.Count);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"failover took {clock.Elapsed}");
        TestContext.Current.SendDiagnosticMessage($"all grants answered {clock.Elapsed.TotalSeconds:F1} s after the kill ({unavailable} UNAVAILABLE retries)");

        // The survivor still takes writes, and the dead node is declared dead in our table.
        await new AdminService.AdminServiceClient(host.Second).CreateGrantAsync(Requests.Grant("Practitioner/clustered", "Patient/after-kill"));
        // A grain never activated before (the new patient's) may still be placed through the dead node's part
        // of the directory until it is declared dead: UNAVAILABLE meanwhile, as the contract says, then PERMIT.
        var afterKill = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                Assert.Equal(Outcome.Permit, (await onSecond.CheckAsync(Requests.ReadPatient("Practitioner/clustered", "after-kill"))).Outcome);
                break;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && afterKill.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(200);
            }
        }
        await WaitForAsync(async () => await DeadMembersAsync(database) == 1, TimeSpan.FromSeconds(30));
        // Whichever node held the consent registry, the survivor's (re)loaded from PostgreSQL applies it.
        await AssertPopulationSearchLeavesOutAsync(onSecond, "c-3", grants.Count);
    }

    private static async Task AssertPopulationSearchLeavesOutAsync(DecisionService.DecisionServiceClient decisions, string withheld, int remaining)
    {
        var search = await decisions.CheckAsync(Consents.ConsentRequests.SearchAllObservations("Practitioner/clustered", affiliations: ["Organization/f001"]),
            deadline: DateTime.UtcNow.AddSeconds(30));
        Assert.Equal(Outcome.Permit, search.Outcome);
        Assert.Equal([withheld], search.Obligation.Patients.ExcludedPatientIds);
        Assert.DoesNotContain(withheld, search.Obligation.Patients.PatientIds);
        Assert.Equal(remaining, search.Obligation.Patients.PatientIds.Count);
    }

    private static async Task<string> CreateKeyAsync(string database)
    {
        var factory = new PooledDbContextFactory<PermissionLayerDbContext>(
            new DbContextOptionsBuilder<PermissionLayerDbContext>().UseNpgsql(database).Options);
        return await new ApiKeyStore(factory).CreateAsync("cluster-test", [CallerRoles.Pep, CallerRoles.Admin], "tests", DateTimeOffset.UtcNow);
    }

    private static Task<long> ActiveMembersAsync(string database) => CountAsync(database, 3);

    private static Task<long> DeadMembersAsync(string database) => CountAsync(database, 6);

    private static async Task<long> CountAsync(string database, int status)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM cluster_members WHERE status = $1", connection);
        command.Parameters.AddWithValue(status);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < limit, "condition not reached in time");
            await Task.Delay(250);
        }
    }
}
