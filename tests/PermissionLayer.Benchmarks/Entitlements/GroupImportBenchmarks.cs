using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Benchmarks.Entitlements;

/// <summary>
/// A 100,000-member FHIR Group imported through the admin API (gRPC, real server in process, real
/// PostgreSQL): read and checked with Hl7.Fhir.R4, binary COPY in one transaction, the group's grain
/// reloaded. Iterations alternate two versions with different members, so every import replaces the
/// whole membership (an unchanged re-import would be a no-op and measure nothing).
/// </summary>
[Config(typeof(OneImportPerIteration))]
public class GroupImportBenchmarks
{
    private const int Members = 100_000;
    private ServerHost _host = null!;
    private AdminService.AdminServiceClient _admin = null!;
    private readonly string[] _versions = new string[2];
    private int _iteration;

    private sealed class OneImportPerIteration : ManualConfig
    {
        public OneImportPerIteration() => AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithInvocationCount(1).WithUnrollFactor(1)
            .WithWarmupCount(1).WithIterationCount(6));
    }

    [GlobalSetup]
    public void Setup()
    {
        _host = ServerHost.StartAsync(PostgresServer.CreateDatabaseAsync("import-bench").GetAwaiter().GetResult()).GetAwaiter().GetResult();
        _admin = new AdminService.AdminServiceClient(_host.Channel);
        _versions[0] = Group("v1", Enumerable.Range(0, Members).Select(n => $"a-{n}"));
        _versions[1] = Group("v2", Enumerable.Range(0, Members).Select(n => $"b-{n}"));
    }

    [GlobalCleanup]
    public void Cleanup() => _host.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Description = "Import a 100,000-member Group (replacing all members)")]
    public async Task<long> ImportLargeGroup()
    {
        using var call = _admin.Import(new ImportRequest { Format = "json", Content = _versions[_iteration++ % 2], Reason = "benchmark" });
        ImportProgress? last = null;
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            last = call.ResponseStream.Current;
        }
        return last is { Stage: "done" } done && done.Resources[0].Count == Members
            ? done.Revision
            : throw new InvalidOperationException("the import did not complete with every member");
    }

    private static string Group(string version, IEnumerable<string> patients) => JsonSerializer.Serialize(new
    {
        resourceType = "Group", id = "bench-cohort", meta = new { versionId = version }, active = true, type = "person", actual = true,
        member = patients.Select(p => new { entity = new { reference = $"Patient/{p}" } }),
    });
}
