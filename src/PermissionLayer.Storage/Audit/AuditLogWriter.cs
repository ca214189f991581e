using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PermissionLayer.Core.Audit;

namespace PermissionLayer.Storage.Audit;

/// <summary>
/// The audit writer of this process: a bounded queue drained by several hash chains
/// (<see cref="AuditChainWriter"/>), each with one batch in flight, so that the commits of
/// different chains overlap (group commit on each). A full queue makes callers wait; nothing is
/// ever dropped: what a graceful shutdown cannot write in time goes to the <see cref="AuditSpillFile"/>
/// and is written at the next start.
/// </summary>
public sealed class AuditLogWriter
{
    private readonly Channel<PendingAudit> _queue;
    private readonly AuditChainWriter[] _chains;
    private readonly AuditSpillFile _spill;
    private readonly AuditQuarantine _quarantine;
    private readonly ILogger<AuditLogWriter> _logger;
    private readonly CancellationTokenSource _abandon = new();
    private Task? _running;

    /// <summary>Each of the <paramref name="chains"/> chains has its own writer id and connection.</summary>
    public AuditLogWriter(
        AuditDatabase database, AuditPartitions partitions, AuditSpillFile spill, AuditQuarantine quarantine, ILogger<AuditLogWriter> logger,
        int queueCapacity, int maxBatchSize, int chains)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chains, 1);
        _spill = spill;
        _quarantine = quarantine;
        _logger = logger;
        _queue = Channel.CreateBounded<PendingAudit>(new BoundedChannelOptions(queueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // back-pressure, never drop
        });
        _chains = [.. Enumerable.Range(0, chains).Select(_ => new AuditChainWriter(database, partitions, quarantine, _queue.Reader, maxBatchSize, logger))];
    }

    /// <summary>The chains this process writes; new ones at every start.</summary>
    public IReadOnlyList<Guid> WriterIds => [.. _chains.Select(c => c.WriterId)];

    /// <summary>False while any chain's last write failed, until it succeeds again.</summary>
    public bool IsAvailable => _chains.All(c => c.IsAvailable);

    /// <summary>Records quarantined by this process (refused by PostgreSQL alone, or unreadable spill lines).</summary>
    public long Quarantined => _quarantine.Count;

    /// <summary>
    /// Whether every chain can write now. A failing chain that still holds rows finds out on its own
    /// retries; an idle one is probed, so that health recovers without waiting for traffic.
    /// </summary>
    public async Task<bool> CanWriteAsync(CancellationToken cancellationToken)
    {
        foreach (var chain in _chains)
        {
            await chain.ProbeAsync(cancellationToken);
        }
        return IsAvailable;
    }

    public void Start() => _running ??= Task.WhenAll(_chains.Select(c => Task.Run(() => c.RunAsync(_abandon.Token))));

    /// <summary>
    /// Waits while the queue is full. Fails once the writer has stopped. The record is bounded first
    /// (<see cref="AuditRowBounds"/>): whatever a caller put in it, PostgreSQL cannot refuse the row,
    /// and the spill file and the chain hash see the row exactly as it is stored.
    /// </summary>
    public ValueTask EnqueueAsync(PendingAudit pending, CancellationToken cancellationToken) =>
        _queue.Writer.WriteAsync(AuditRowBounds.IsStorable(pending.Decision) ? pending : pending with { Decision = AuditRowBounds.Bound(pending.Decision) },
            cancellationToken);

    /// <summary>
    /// Writes what an earlier process spilled, into this process's chains (each row keeps its
    /// decision id and time), and waits for the commit: the host calls it before it takes
    /// decisions. Rows already in the log (a write cancelled at shutdown may have committed) are
    /// not written twice. The file is deleted once everything is committed.
    /// </summary>
    public async Task ReplaySpilledAsync(DecisionLog log, CancellationToken cancellationToken)
    {
        if (!_spill.Exists)
        {
            return;
        }
        var (spilled, unreadable) = await _spill.ReadAsync(cancellationToken);
        // A line that cannot be read back must not keep the node from starting, nor be lost: it is
        // quarantined with its text (escaped) and reported.
        foreach (var line in unreadable)
        {
            await _quarantine.AddUnreadableAsync($"spill {_spill.Path} line {line.Number}", line.Text, line.Error, cancellationToken);
        }
        if (unreadable.Count > 0)
        {
            _logger.LogError("{Count} line(s) of the audit spill file {Path} could not be read back; they are kept in audit.quarantine", unreadable.Count, _spill.Path);
        }
        var present = await log.ExistingAsync(spilled, cancellationToken);
        var missing = spilled.Where(d => !present.Contains(d.DecisionId)).DistinctBy(d => d.DecisionId).ToList();
        var commits = new List<Task>(missing.Count);
        foreach (var decision in missing)
        {
            var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await EnqueueAsync(new PendingAudit(decision, committed), cancellationToken);
            commits.Add(committed.Task);
        }
        foreach (var commit in commits)
        {
            try
            {
                await commit;
            }
            catch (AuditRecordQuarantinedException)
            {
                // Refused by PostgreSQL even after bounding: kept in audit.quarantine, so the start goes on.
            }
        }
        _spill.Delete();
        _logger.LogWarning("Wrote {Missing} of {Spilled} audit record(s) spilled at the last shutdown from {Path} (the others were already in the log)",
            missing.Count, spilled.Count, _spill.Path);
    }

    /// <summary>
    /// Stops taking records and writes everything queued (graceful shutdown). If
    /// <paramref name="cancellationToken"/> fires first (the audit store is still down when the
    /// shutdown timeout expires), the writes are abandoned and the answered records not known to be
    /// written are spilled to the local file instead of being lost.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (_running is null)
        {
            return;
        }
        try
        {
            await _running.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await _abandon.CancelAsync();
            await _running; // every wait of a chain takes the abandon token: this returns promptly
            await SpillUnwrittenAsync();
        }
    }

    private async Task SpillUnwrittenAsync()
    {
        var unwritten = _chains.SelectMany(c => c.Unwritten).ToList();
        var shuttingDown = new StorageUnavailableException("the audit log is shutting down");
        while (_queue.Reader.TryRead(out var pending))
        {
            if (pending.Committed is null)
            {
                unwritten.Add(pending.Decision);
            }
            else
            {
                pending.Committed.TrySetException(shuttingDown); // its caller was not answered: it fails closed
            }
        }
        if (unwritten.Count == 0)
        {
            return;
        }
        await _spill.AppendAsync(unwritten);
        _logger.LogWarning("The audit store was unavailable at shutdown: {Count} answered decision(s) spilled to {Path}; they are written at the next start",
            unwritten.Count, _spill.Path);
    }
}
