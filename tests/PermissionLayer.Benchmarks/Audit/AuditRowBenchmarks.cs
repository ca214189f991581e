using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using PermissionLayer.Core.Audit;
using PermissionLayer.Server.Features.Audit;
using PermissionLayer.Storage.Audit;
using PermissionLayer.Testing.Audit;

namespace PermissionLayer.Benchmarks.Audit;

/// <summary>
/// The server's CPU per audit row, first implementation (baseline) against the current one: a new
/// decision id, the reasons JSON, the recorder building the row from a five-reason permit (its id
/// included, as in RecordAsync), the writer hashing it into its chain, and the row (record and
/// hash) together.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessShortRun))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class AuditRowBenchmarks
{
    private static readonly Guid WriterId = Guid.CreateVersion7();
    private static readonly TimeSpan Latency = TimeSpan.FromMicroseconds(312);
    private readonly byte[] _previous = AuditChain.Genesis;
    private readonly AuditedDecision _row = DecisionAuditRecorder.ToRecord(
        Guid.CreateVersion7(), AuditSamples.PermitRequest, AuditSamples.PermitOutcome, "key:fhir-gateway/3", Latency);

    [Benchmark(Baseline = true), BenchmarkCategory("Id")]
    public Guid IdFirst() => Guid.CreateVersion7();

    [Benchmark, BenchmarkCategory("Id")]
    public Guid IdNow() => DecisionIds.New();

    [Benchmark(Baseline = true), BenchmarkCategory("Json")]
    public string JsonFirst() => ReferenceReasonsJson.Of(AuditSamples.PermitReasons);

    [Benchmark, BenchmarkCategory("Json")]
    public string JsonNow() => AuditReasonsJson.Of(AuditSamples.PermitReasons);

    [Benchmark(Baseline = true), BenchmarkCategory("Record")]
    public AuditedDecision RecordFirst() => FirstAuditRecord.Of(Guid.CreateVersion7(), AuditSamples.PermitRequest, AuditSamples.PermitOutcome, "key:fhir-gateway/3", Latency);

    [Benchmark, BenchmarkCategory("Record")]
    public AuditedDecision RecordNow() => DecisionAuditRecorder.ToRecord(DecisionIds.New(), AuditSamples.PermitRequest, AuditSamples.PermitOutcome, "key:fhir-gateway/3", Latency);

    [Benchmark(Baseline = true), BenchmarkCategory("Hash")]
    public byte[] HashFirst() => ReferenceAuditChain.Hash(_row, WriterId, 42, _previous);

    [Benchmark, BenchmarkCategory("Hash")]
    public byte[] HashNow() => AuditChain.Hash(_row, WriterId, 42, _previous);

    [Benchmark(Baseline = true), BenchmarkCategory("Row")]
    public byte[] RowFirst() => ReferenceAuditChain.Hash(RecordFirst(), WriterId, 42, _previous);

    [Benchmark, BenchmarkCategory("Row")]
    public byte[] RowNow() => AuditChain.Hash(RecordNow(), WriterId, 42, _previous);
}
