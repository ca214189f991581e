using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using PermissionLayer.Core.Audit;
using PermissionLayer.Server.Features.Audit;
using PermissionLayer.Storage.Audit;
using PermissionLayer.Testing.Audit;

namespace PermissionLayer.Benchmarks.Audit;

/// <summary>
/// The server's CPU per audit row, first implementation (baseline) against the current one: the
/// recorder building the row from a five-reason permit (its new decision id included, as in
/// RecordAsync), the writer hashing it into its chain, and both together.
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
