using System.Collections.Concurrent;
using System.Text.Json;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Core.Audit;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Storage.Audit;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Audit;

/// <summary>
/// Issue 14 item 1: an audit row PostgreSQL would refuse (a NUL byte, a value too long for an index
/// entry, a lone surrogate) must never fail another caller's decision, block the queue, keep the
/// node from starting or leave health at SERVING while the writer is stuck. The poisoned rows are
/// handed to the real writer directly (the edge now rejects such input before any work), while
/// legitimate decisions run over gRPC against the real stack.
/// </summary>
public sealed class PoisonedAuditRowTests
{
    private const int LegitimatePerCaller = 60;
    private const int Callers = 4;

    /// <summary>Values PostgreSQL refuses as they are: NUL, over-long index entries, lone surrogates.</summary>
    internal static IEnumerable<AuditedDecision> Poisons()
    {
        var huge = new string('x', 3000);
        yield return Record() with { ClientId = "nul\0client" };
        yield return Record() with { ClientId = huge };
        yield return Record() with { Patients = ["ok", huge] };
        yield return Record() with { Patients = ["nul\0patient"] };
        yield return Record() with { FhirUser = "Practitioner/" + huge };
        yield return Record() with { Jti = "jti\0" };
        yield return Record() with { BreakGlassReason = "reason\0", BreakGlass = true, PurposeOfUse = "BTG" };
        yield return Record() with { ResourceId = "lone\ud800surrogate" };
        yield return Record() with { PurposeOfUse = "\0" + huge };
    }

    internal static AuditedDecision Record() => new()
    {
        DecisionId = Guid.CreateVersion7(),
        DecidedAt = AuditedDecision.ToStoredPrecision(DateTimeOffset.UtcNow),
        Caller = "poison-test",
        ClientId = "poison-app",
        FhirUser = "Practitioner/poison",
        Patients = ["poisoned-1"],
        Interaction = "read",
        ResourceType = "Patient",
        ResourceId = "poisoned-1",
        Outcome = "deny",
        DecidingTerm = "request",
        ReasonsJson = "[]",
    };

    [Theory]
    [InlineData("Durable")]
    [InlineData("Queued")]
    public async Task Poisoned_rows_never_fail_other_decisions_and_are_kept(string mode)
    {
        var database = await PostgresServer.CreateDatabaseAsync("audit-poison");
        await using var host = await ServerHost.StartAsync(database, new Dictionary<string, string?> { ["PermissionLayer:Audit:Mode"] = mode });
        var admin = new AdminService.AdminServiceClient(host.Channel);
        await admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        await admin.CreateGrantAsync(Requests.Grant("Practitioner/legit", "*"));
        var writer = host.Services.GetRequiredService<AuditLogWriter>();
        var decisions = new DecisionService.DecisionServiceClient(host.Channel);

        var failures = new ConcurrentBag<StatusCode>();
        var answered = new ConcurrentBag<string>();
        var poisonIds = new List<Guid>();
        var legitimate = Task.WhenAll(Enumerable.Range(0, Callers).Select(caller => Task.Run(async () =>
        {
            for (var i = 0; i < LegitimatePerCaller; i++)
            {
                try
                {
                    var answer = await decisions.CheckAsync(Requests.ReadPatient("Practitioner/legit", $"legit-{caller}-{i}"),
                        deadline: DateTime.UtcNow.AddSeconds(30));
                    answered.Add(answer.DecisionId);
                }
                catch (RpcException e)
                {
                    failures.Add(e.StatusCode);
                }
            }
        })));
        // The poisons arrive while the legitimate decisions run, so they share group commits.
        var poisonOutcomes = new List<Task>();
        foreach (var poison in Poisons())
        {
            poisonIds.Add(poison.DecisionId);
            var committed = mode == "Durable" ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) : null;
            await writer.EnqueueAsync(new PendingAudit(poison, committed), TestContext.Current.CancellationToken);
            poisonOutcomes.Add(committed?.Task ?? Task.CompletedTask);
            await Task.Delay(15, TestContext.Current.CancellationToken);
        }
        await legitimate;

        Assert.True(failures.IsEmpty, $"{failures.Count} of {Callers * LegitimatePerCaller} legitimate decisions failed: "
            + string.Join(", ", failures.GroupBy(f => f).Select(g => $"{g.Key} × {g.Count()}")));
        // Every legitimate row and every poisoned record is kept: in the chain (bounded, the full
        // value alongside) — none was dropped.
        await WaitForRowsAsync(database, answered.Select(Guid.Parse).Concat(poisonIds).ToList());
        await Task.WhenAll(poisonOutcomes); // durable: each poisoned record's own commit succeeded too
        var nulClient = await AuditTable.RowAsync(database, poisonIds[0].ToString());
        Assert.NotNull(nulClient);
        Assert.DoesNotContain('\0', (string)nulClient["client_id"]!);
        Assert.Contains("nul\\u0000client", (string)nulClient["original_values"]!);
        var hugeClient = await AuditTable.RowAsync(database, poisonIds[1].ToString());
        Assert.True(((string)hugeClient!["client_id"]!).Length <= AuditRowBounds.MaxIndexedLength);
        Assert.Contains(new string('x', 3000), (string)hugeClient["original_values"]!);

        var verdict = await new AuditService.AuditServiceClient(host.Channel).VerifyChainAsync(new VerifyChainRequest());
        Assert.True(verdict.Intact, string.Join("; ", verdict.Chains.Select(c => c.Problem)));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await new Health.HealthClient(host.Channel).CheckAsync(new HealthCheckRequest())).Status);
        // And the queue still flows: a decision after the poisons is answered and written.
        var after = await decisions.CheckAsync(Requests.ReadPatient("Practitioner/legit", "after-poison"));
        await WaitForRowsAsync(database, [Guid.Parse(after.DecisionId)]);
    }

    /// <summary>
    /// A row that passes the bounds but that PostgreSQL still refuses (here a CHECK constraint added
    /// under the running writer) is isolated: the others in its group commit are written, it goes to
    /// audit.quarantine with the error, the chain stays intact, and only its own caller fails.
    /// </summary>
    [Theory]
    [InlineData("Durable")]
    [InlineData("Queued")]
    public async Task A_row_postgresql_refuses_is_quarantined_and_the_others_are_written(string mode)
    {
        var database = await PostgresServer.CreateDatabaseAsync("audit-refused");
        await using var host = await ServerHost.StartAsync(database, new Dictionary<string, string?> { ["PermissionLayer:Audit:Mode"] = mode });
        var admin = new AdminService.AdminServiceClient(host.Channel);
        await admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        await admin.CreateGrantAsync(Requests.Grant("Practitioner/legit", "*"));
        await AuditTable.ScalarAsync<object>(database,
            "ALTER TABLE audit.decision ADD CONSTRAINT refuse_poison CHECK (client_id <> 'refused-by-postgresql'); SELECT 1");
        var writer = host.Services.GetRequiredService<AuditLogWriter>();
        var decisions = new DecisionService.DecisionServiceClient(host.Channel);

        var failures = new ConcurrentBag<StatusCode>();
        var answered = new ConcurrentBag<string>();
        var legitimate = Task.WhenAll(Enumerable.Range(0, Callers).Select(caller => Task.Run(async () =>
        {
            for (var i = 0; i < LegitimatePerCaller; i++)
            {
                try
                {
                    answered.Add((await decisions.CheckAsync(Requests.ReadPatient("Practitioner/legit", $"legit-{caller}-{i}"),
                        deadline: DateTime.UtcNow.AddSeconds(30))).DecisionId);
                }
                catch (RpcException e)
                {
                    failures.Add(e.StatusCode);
                }
            }
        })));
        var refused = new List<(Guid Id, Task Outcome)>();
        for (var i = 0; i < 5; i++)
        {
            var record = Record() with { ClientId = "refused-by-postgresql" };
            var committed = mode == "Durable" ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) : null;
            await writer.EnqueueAsync(new PendingAudit(record, committed), TestContext.Current.CancellationToken);
            refused.Add((record.DecisionId, committed?.Task ?? Task.CompletedTask));
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
        await legitimate;

        Assert.True(failures.IsEmpty, $"{failures.Count} of {Callers * LegitimatePerCaller} legitimate decisions failed: "
            + string.Join(", ", failures.GroupBy(f => f).Select(g => $"{g.Key} × {g.Count()}")));
        await WaitForRowsAsync(database, [.. answered.Select(Guid.Parse)]);
        for (var waited = 0; await QuarantinedAsync(database, refused.Select(r => r.Id)) < refused.Count && waited < 300; waited++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        Assert.Equal(refused.Count, await QuarantinedAsync(database, refused.Select(r => r.Id)));
        if (mode == "Durable")
        {
            // The refused record's own caller fails closed: its decision is not in the chain.
            foreach (var (_, outcome) in refused)
            {
                await Assert.ThrowsAnyAsync<Exception>(() => outcome);
            }
        }
        var verdict = await new AuditService.AuditServiceClient(host.Channel).VerifyChainAsync(new VerifyChainRequest());
        Assert.True(verdict.Intact, string.Join("; ", verdict.Chains.Select(c => c.Problem)));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await new Health.HealthClient(host.Channel).CheckAsync(new HealthCheckRequest())).Status);
    }

    /// <summary>
    /// A spill file with a line that cannot be read back and a record PostgreSQL would refuse: the
    /// start goes on, the good records and the escaped one are written, the unreadable line is
    /// quarantined (kept, reported), and the file is gone.
    /// </summary>
    [Fact]
    public async Task A_spill_file_with_bad_rows_does_not_stop_the_start()
    {
        var database = await PostgresServer.CreateDatabaseAsync("audit-bad-spill");
        var spillPath = Path.Combine(Path.GetTempPath(), "permissionlayer-tests", $"bad-spill-{Guid.NewGuid():N}.ndjson");
        Directory.CreateDirectory(Path.GetDirectoryName(spillPath)!);
        var good = Record();
        var nul = Record() with { ClientId = "spilled\0client", Patients = [new string('p', 3000)] };
        var later = Record();
        await File.WriteAllLinesAsync(spillPath,
        [
            JsonSerializer.Serialize(good),
            "{\"DecisionId\":\"not-a-guid\",", // cut short, then more records after it: not the last line
            JsonSerializer.Serialize(nul),
            "\0\0\0 garbage",
            JsonSerializer.Serialize(later),
        ], TestContext.Current.CancellationToken);

        await using var host = await ServerHost.StartAsync(database, new Dictionary<string, string?>
        {
            ["PermissionLayer:Audit:Mode"] = "Queued",
            ["PermissionLayer:Audit:SpillPath"] = spillPath,
        });
        Assert.False(File.Exists(spillPath));
        await WaitForRowsAsync(database, [good.DecisionId, nul.DecisionId, later.DecisionId]);
        Assert.Equal(2L, await AuditTable.ScalarAsync<long>(database, "SELECT count(*) FROM audit.quarantine WHERE decision_id IS NULL"));
        Assert.Contains("\\u0000\\u0000\\u0000 garbage",
            await AuditTable.ScalarAsync<string>(database, "SELECT string_agg(record, ' ') FROM audit.quarantine"));
        var verdict = await new AuditService.AuditServiceClient(host.Channel).VerifyChainAsync(new VerifyChainRequest());
        Assert.True(verdict.Intact, string.Join("; ", verdict.Chains.Select(c => c.Problem)));
    }

    /// <summary>
    /// Health reports the writer: with PostgreSQL answering but the audit table gone, the writer is
    /// stuck and decisions fail closed, so health must not say SERVING; it does again once it writes.
    /// </summary>
    [Fact]
    public async Task Health_is_not_serving_while_the_audit_writer_is_stuck()
    {
        var database = await PostgresServer.CreateDatabaseAsync("audit-stuck");
        await using var host = await ServerHost.StartAsync(database, new Dictionary<string, string?> { ["PermissionLayer:Audit:Mode"] = "Queued" });
        await new AdminService.AdminServiceClient(host.Channel).CreateGrantAsync(Requests.TrustClientForAllPatients());
        var decisions = new DecisionService.DecisionServiceClient(host.Channel);
        var health = new Health.HealthClient(host.Channel);
        await AuditTable.ScalarAsync<object>(database, "ALTER TABLE audit.decision RENAME TO decision_away; SELECT 1");
        try
        {
            var status = HealthCheckResponse.Types.ServingStatus.Serving;
            for (var i = 0; i < 100 && status == HealthCheckResponse.Types.ServingStatus.Serving; i++)
            {
                try
                {
                    await decisions.CheckAsync(Requests.ReadPatient("Practitioner/nobody", $"stuck-{i}"));
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
                {
                }
                status = (await health.CheckAsync(new HealthCheckRequest())).Status;
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, status);
        }
        finally
        {
            await AuditTable.ScalarAsync<object>(database, "ALTER TABLE audit.decision_away RENAME TO decision; SELECT 1");
        }
        var recovered = HealthCheckResponse.Types.ServingStatus.NotServing;
        for (var i = 0; i < 100 && recovered != HealthCheckResponse.Types.ServingStatus.Serving; i++)
        {
            try
            {
                await decisions.CheckAsync(Requests.ReadPatient("Practitioner/nobody", "recovered"));
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
            }
            recovered = (await health.CheckAsync(new HealthCheckRequest())).Status;
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, recovered);
    }

    private static async Task WaitForRowsAsync(string database, IReadOnlyCollection<Guid> ids)
    {
        var list = string.Join(",", ids.Select(id => $"'{id}'"));
        long found = 0;
        for (var waited = 0; waited < 300; waited++)
        {
            found = await AuditTable.CountAsync(database, $"decision_id IN ({list})");
            if (found == ids.Count)
            {
                return;
            }
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        Assert.Fail($"{found} of {ids.Count} audit rows written");
    }

    private static async Task<long> QuarantinedAsync(string database, IEnumerable<Guid> ids)
    {
        try
        {
            return await AuditTable.ScalarAsync<long>(database,
                $"SELECT count(*) FROM audit.quarantine WHERE decision_id IN ({string.Join(",", ids.Select(id => $"'{id}'"))})");
        }
        catch (Npgsql.PostgresException)
        {
            return 0; // no quarantine table (the code before the fix)
        }
    }
}
