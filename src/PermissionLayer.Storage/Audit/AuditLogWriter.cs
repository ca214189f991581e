using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PermissionLayer.Core.Audit;

namespace PermissionLayer.Storage.Audit;

/// <summary>
/// The audit writer of this process: a bounded queue drained by several hash chains
/// (<see cref="AuditChainWriter"/>), each with one batch in flight, so that the commits of
/// different chains overlap (group commit on each). A full queue makes callers wait; nothing is
/// ever dropped: what a graceful shutdown cannot write in time goes to the <see cref="AuditSpillFile"/>
/// and is written at the next start. A record whose caller is answered before its commit (queued
/// mode) is first in the <see cref="AuditWriteAhead"/> log, so that not even a kill -9 loses it.
/// </summary>
public sealed class AuditLogWriter
{
    private readonly Channel<PendingAudit> _queue;
    private readonly AuditChainWriter[] _chains;
    private readonly AuditSpillFile _spill;
    private readonly AuditWriteAhead? _writeAhead;
    private readonly AuditQuarantine _quarantine;
    private readonly ILogger<AuditLogWriter> _logger;
    private readonly CancellationTokenSource _abandon = new();
    private Task? _running;

    /// <summary>
    /// Each of the <paramref name="chains"/> chains has its own writer id and connection.
    /// <paramref name="writeAhead"/>: where records answered before their commit go first, and what
    /// earlier processes left there; null: nowhere (a kill -9 then loses those not yet written).
    /// </summary>
    public AuditLogWriter(
        AuditDatabase database, AuditPartitions partitions, AuditSpillFile spill, AuditQuarantine quarantine, ILogger<AuditLogWriter> logger,
        int queueCapacity, int maxBatchSize, int chains, AuditWriteAhead? writeAhead = null, IAuditWriterObserver? observer = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chains, 1);
        _spill = spill;
        _writeAhead = writeAhead;
        _quarantine = quarantine;
        _logger = logger;
        _queue = Channel.CreateBounded<PendingAudit>(new BoundedChannelOptions(queueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // back-pressure, never drop
        });
        _chains = [.. Enumerable.Range(0, chains).Select(_ => new AuditChainWriter(database, partitions, quarantine, _queue.Reader, maxBatchSize, logger, observer))];
    }

    /// <summary>The chains this process writes; new ones at every start.</summary>
    public IReadOnlyList<Guid> WriterIds => [.. _chains.Select(c => c.WriterId)];

    /// <summary>False while any chain's last write failed, until it succeeds again.</summary>
    public bool IsAvailable => _chains.All(c => c.IsAvailable);

    /// <summary>Rows waiting in the queue for a chain to take them (not those a chain holds in its batch).</summary>
    public int QueueDepth => _queue.Reader.Count;

    /// <summary>
    /// When the oldest row not yet written was decided — held by a chain (being written, or retried
    /// while the store is down) or still queued — or null when nothing is waiting. Its age is how far
    /// the audit log is behind the answers already given.
    /// </summary>
    public DateTimeOffset? OldestUnwritten
    {
        get
        {
            DateTimeOffset? oldest = _queue.Reader.TryPeek(out var next) ? next.Decision.DecidedAt : null;
            foreach (var chain in _chains)
            {
                if (chain.OldestHeld is { } held && (oldest is null || held < oldest))
                {
                    oldest = held;
                }
            }
            return oldest;
        }
    }

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

    public void Start()
    {
        _writeAhead?.Start();
        _running ??= Task.WhenAll(_chains.Select(c => Task.Run(() => c.RunAsync(_abandon.Token))));
    }

    /// <summary>
    /// Waits while the queue is full. Fails once the writer has stopped. The record is bounded first
    /// (<see cref="AuditRowBounds"/>): whatever a caller put in it, PostgreSQL cannot refuse the row,
    /// and the spill file and the chain hash see the row exactly as it is stored. A record nobody
    /// waits for (its caller is answered when this returns) is on disk in the write-ahead log first.
    /// </summary>
    public async ValueTask EnqueueAsync(PendingAudit pending, CancellationToken cancellationToken)
    {
        var bounded = AuditRowBounds.IsStorable(pending.Decision) ? pending : pending with { Decision = AuditRowBounds.Bound(pending.Decision) };
        if (bounded.Committed is null && _writeAhead is { Enabled: true })
        {
            bounded = bounded with { WriteAhead = await _writeAhead.AppendAsync(bounded.Decision, cancellationToken) };
        }
        await _queue.Writer.WriteAsync(bounded, cancellationToken);
    }

    /// <summary>
    /// Writes what an earlier process spilled or left in its write-ahead log (killed before its
    /// queued records were written), into this process's chains (each row keeps its decision id and
    /// time), and waits for the commit: the host calls it before it takes decisions. Rows already in
    /// the log (most of a write-ahead log, a write cancelled at shutdown that did commit) are not
    /// written twice. The files are deleted once everything is committed.
    /// </summary>
    public async Task ReplaySpilledAsync(DecisionLog log, CancellationToken cancellationToken)
    {
        var earlier = _writeAhead?.Earlier.Count ?? 0;
        if (!_spill.Exists && earlier == 0)
        {
            return;
        }
        var (fromSpill, unreadableSpill) = _spill.Exists ? await _spill.ReadAsync(cancellationToken) : new SpillContents([], []);
        var (fromWriteAhead, unreadableWriteAhead) = earlier > 0 ? await _writeAhead!.ReadEarlierAsync(cancellationToken) : new SpillContents([], []);
        IReadOnlyList<Core.Audit.AuditedDecision> spilled = [.. fromSpill, .. fromWriteAhead];
        IReadOnlyList<UnreadableSpillLine> unreadable = [.. unreadableSpill, .. unreadableWriteAhead];
        // A line that cannot be read back must not keep the node from starting, nor be lost: it is
        // quarantined with its text (escaped) and reported.
        foreach (var line in unreadable)
        {
            var source = unreadableSpill.Contains(line) ? $"spill {_spill.Path}" : $"write-ahead log {_writeAhead!.Folder}";
            await _quarantine.AddUnreadableAsync($"{source} line {line.Number}", line.Text, line.Error, cancellationToken);
        }
        if (unreadable.Count > 0)
        {
            _logger.LogError("{Count} line(s) of the audit spill file {Path} or the write-ahead log could not be read back; they are kept in audit.quarantine",
                unreadable.Count, _spill.Path);
        }
        var present = await ExistingAsync(log, spilled, cancellationToken);
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
        _writeAhead?.DeleteEarlier();
        _logger.LogWarning(
            "Wrote {Missing} of {Spilled} audit record(s) left by the last process (spill file {Path}, {Segments} write-ahead segment(s)); the others were already in the log",
            missing.Count, spilled.Count, _spill.Path, earlier);
    }

    /// <summary>The ids among <paramref name="decisions"/> already in the log, asked in slices (a write-ahead log may hold many).</summary>
    private static async Task<HashSet<Guid>> ExistingAsync(DecisionLog log, IReadOnlyList<Core.Audit.AuditedDecision> decisions, CancellationToken cancellationToken)
    {
        var present = new HashSet<Guid>();
        foreach (var slice in decisions.Chunk(10_000))
        {
            present.UnionWith(await log.ExistingAsync(slice, cancellationToken));
        }
        return present;
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
        // Everything written: the segments delete themselves as they close. Spilled records stay in
        // theirs too; the next start writes each once.
        if (_writeAhead is not null)
        {
            await _writeAhead.StopAsync();
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
