using System.Diagnostics.Metrics;
using PermissionLayer.Storage.Audit;

namespace PermissionLayer.Server.Features.Telemetry;

/// <summary>The audit writer's commits: rows per COPY and how long each took (told by every chain).</summary>
public sealed class AuditCommitMetrics : IAuditWriterObserver
{
    private static readonly double[] CommitBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly long[] BatchBuckets = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

    private readonly Histogram<long> _batchSize;
    private readonly Histogram<double> _commitDuration;

    public AuditCommitMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(TelemetryNames.Source);
        _batchSize = meter.CreateHistogram(TelemetryNames.AuditBatchSize, "{row}",
            "Audit rows written per COPY and commit (group commit: the more decisions wait, the larger)", tags: null,
            new InstrumentAdvice<long> { HistogramBucketBoundaries = BatchBuckets });
        _commitDuration = meter.CreateHistogram(TelemetryNames.AuditCommitDuration, "s",
            "Time of one audit batch's COPY and commit, from opening the connection to the commit's answer", tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = CommitBuckets });
    }

    public void Committed(int rows, TimeSpan elapsed)
    {
        _batchSize.Record(rows);
        _commitDuration.Record(elapsed.TotalSeconds);
    }
}
