namespace PermissionLayer.Server.Hosting;

/// <summary>Configuration under <c>PermissionLayer:Audit</c> (AUDIT.md).</summary>
public sealed class AuditOptions
{
    /// <summary>
    /// <c>Durable</c> (default): a decision is answered only after its audit row is committed.
    /// <c>Queued</c>: answered first, written moments later; a full queue slows callers, never drops.
    /// <c>Off</c>: no audit — only for measuring the cost of the audit; never for production.
    /// </summary>
    public string Mode { get; set; } = nameof(AuditMode.Durable);

    /// <summary><see cref="Mode"/> parsed (after validation); a string setting so that a typo gets our message, not a binder exception.</summary>
    public AuditMode ModeValue => Enum.Parse<AuditMode>(Mode, ignoreCase: true);
    /// <summary>Decisions that may wait for the writer before callers are slowed down (default 10000).</summary>
    public int QueueCapacity { get; set; } = 10_000;
    /// <summary>
    /// Hash chains written at the same time (default 1). Each is a writer of its own (writer id,
    /// connection, one batch in flight), so their commits overlap instead of queueing behind one:
    /// worth it where commit latency, not CPU, limits the audit (see docs/benchmarks.md: on a
    /// CPU-bound 2-core machine one chain, with the largest batches, measured best).
    /// </summary>
    public int Writers { get; set; } = 1;
    /// <summary>Most rows per COPY and commit (default 1000).</summary>
    public int MaxBatchSize { get; set; } = 1_000;
    /// <summary>
    /// Where answered decisions go when the audit store is still down as a graceful shutdown times
    /// out (written at the next start, before decisions are taken). Relative paths are under the
    /// application's folder; default <c>data/audit-unwritten.ndjson</c>. Give each process on a
    /// machine its own.
    /// </summary>
    public string SpillPath { get; set; } = "data/audit-unwritten.ndjson";
    /// <summary>
    /// Queued mode: append each decision to a local write-ahead log (the folder <see cref="SpillPath"/>
    /// + <c>.wal</c>, fsync shared by concurrent decisions) before answering it, so that a kill -9 or
    /// a power cut loses no answered decision; the next start writes what PostgreSQL lacks. Default
    /// true; false answers without it (a crash then loses the decisions not yet written).
    /// </summary>
    public bool WriteAhead { get; set; } = true;
    /// <summary>Days of audit kept; older partitions and rows are deleted daily. 0 (default) keeps everything.</summary>
    public int RetentionDays { get; set; }
    /// <summary>Months of partitions created ahead of the current one (default 2).</summary>
    public int PartitionsAhead { get; set; } = 2;
}

public enum AuditMode
{
    Durable,
    Queued,
    Off,
}
