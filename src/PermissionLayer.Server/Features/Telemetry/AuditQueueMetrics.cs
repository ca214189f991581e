using System.Diagnostics.Metrics;
using PermissionLayer.Storage.Audit;

namespace PermissionLayer.Server.Features.Telemetry;

/// <summary>
/// How far the audit writer is behind: rows queued for it, and the age of the oldest row not yet
/// written (queued, or held by a chain that is writing or retrying it). Read when a collector asks.
/// </summary>
public sealed class AuditQueueMetrics
{
    public AuditQueueMetrics(IMeterFactory meters, AuditLogWriter writer, TimeProvider time)
    {
        var meter = meters.Create(TelemetryNames.Source);
        meter.CreateObservableGauge(TelemetryNames.AuditQueueDepth, () => writer.QueueDepth, "{row}",
            "Audit rows waiting for the writer (Audit:QueueCapacity is where callers start to wait)");
        // Zero when nothing waits: an empty gauge would look like a writer that stopped reporting.
        meter.CreateObservableGauge(TelemetryNames.AuditOldestUnwrittenAge,
            () => writer.OldestUnwritten is { } oldest ? Math.Max(0, (time.GetUtcNow() - oldest).TotalSeconds) : 0.0, "s",
            "Age of the oldest decision whose audit row is not yet committed (0 when none waits)");
    }
}
