using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace PermissionLayer.Storage.Audit;

/// <summary>
/// One hash chain of the audit log (one row of <c>audit.writer</c>) with one batch in flight: it
/// takes whatever has queued up (group commit) and writes it with one binary COPY that also moves
/// the chain head. A chain's rows need its previous hash, so one chain cannot overlap its own
/// commits; several chains read the same queue and overlap theirs.
/// </summary>
internal sealed class AuditChainWriter(
    AuditDatabase database, AuditPartitions partitions, AuditQuarantine quarantine, ChannelReader<PendingAudit> queue, int maxBatchSize, ILogger logger,
    IAuditWriterObserver? observer = null)
{
    private readonly List<PendingAudit> _batch = new(maxBatchSize);
    private long _oldestHeldTicks; // UtcTicks of the oldest row in _batch (it is first: the queue is FIFO), 0 when empty
    private long _headSequence;
    private byte[] _headHash = AuditChain.Genesis;
    private bool _headKnown = true; // a new chain starts at the genesis
    private volatile bool _available = true;

    /// <summary>Identifies this chain; new at every process start.</summary>
    public Guid WriterId { get; } = Guid.CreateVersion7();

    /// <summary>False after a failed write until a write succeeds again.</summary>
    public bool IsAvailable => _available;

    /// <summary>True while this chain holds nothing it still has to write.</summary>
    public bool IsIdle => _batch.Count == 0;

    /// <summary>
    /// A failing chain with nothing left to write cannot find out by itself that the store is back:
    /// the health check asks it (an empty read of the table it writes) so that health recovers
    /// without traffic; its next write tells the truth either way.
    /// </summary>
    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        if (_available || !IsIdle)
        {
            return;
        }
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT 1 FROM audit.decision WHERE false", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        if (IsIdle)
        {
            _available = true;
        }
    }

    /// <summary>
    /// When the oldest row this chain holds but has not written was decided, or null when it holds none.
    /// Read from any thread (telemetry); the chain's loop is the only writer.
    /// </summary>
    public DateTimeOffset? OldestHeld => Volatile.Read(ref _oldestHeldTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>Decisions already answered (queued mode) that this chain holds but has not written.</summary>
    public IEnumerable<Core.Audit.AuditedDecision> Unwritten => _batch.Where(p => p.Committed is null).Select(p => p.Decision);

    /// <summary>
    /// Writes until the queue is completed and empty, or until <paramref name="abandon"/> fires
    /// (a write then in flight is cancelled; whether it committed is unknown, so its answered
    /// records stay in <see cref="Unwritten"/>).
    /// </summary>
    public async Task RunAsync(CancellationToken abandon)
    {
        try
        {
            await WriteUntilDrainedAsync(abandon);
        }
        catch (OperationCanceledException) when (abandon.IsCancellationRequested)
        {
        }
    }

    private async Task WriteUntilDrainedAsync(CancellationToken abandon)
    {
        var failures = 0;
        while (_batch.Count > 0 || await queue.WaitToReadAsync(abandon))
        {
            while (_batch.Count < maxBatchSize && queue.TryRead(out var next))
            {
                _batch.Add(next);
            }
            if (_batch.Count == 0)
            {
                continue; // another chain took what woke this one
            }
            Volatile.Write(ref _oldestHeldTicks, _batch[0].Decision.DecidedAt.UtcTicks);
            try
            {
                await WriteIsolatingRefusedAsync(abandon);
                _available = true;
                failures = 0;
                foreach (var pending in _batch)
                {
                    pending.Written();
                }
                _batch.Clear();
                Volatile.Write(ref _oldestHeldTicks, 0);
            }
            catch (Exception e)
            {
                _available = false;
                _headKnown = false; // the commit may or may not have happened: re-read the head
                failures++;
                logger.LogError(e, "Audit write of {Count} decision(s) to chain {WriterId} failed", _batch.Count, WriterId);
                // Durable callers fail closed now; records whose callers were already answered stay
                // in the batch and are retried until they are written.
                var failure = new StorageUnavailableException("the audit log could not be written: " + e.Message, e);
                foreach (var pending in _batch.Where(p => p.Committed is not null))
                {
                    pending.Committed!.TrySetException(failure);
                }
                _batch.RemoveAll(p => p.Committed is not null);
                Volatile.Write(ref _oldestHeldTicks, _batch.Count > 0 ? _batch[0].Decision.DecidedAt.UtcTicks : 0);
                if (_batch.Count > 0)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 50 * failures)), abandon);
                }
            }
        }
    }

    /// <summary>
    /// Writes the batch in one COPY. If PostgreSQL refuses it for the content of a row (which
    /// <see cref="AuditRowBounds"/> should make impossible), nothing of it committed: the rows are
    /// then written one at a time, so the refused one fails alone. It goes to the quarantine with
    /// the error, its own caller (if waiting) fails closed, and every other row is written and
    /// acknowledged. The chain skips nothing: a quarantined record never gets a sequence.
    /// Unavailability while doing so propagates with the rows not yet written still in the batch.
    /// </summary>
    private async Task WriteIsolatingRefusedAsync(CancellationToken abandon)
    {
        try
        {
            await WriteWithOneRetryAsync(_batch, abandon);
            return;
        }
        catch (Exception e) when (AuditRefusal.IsRowRefused(e) && !abandon.IsCancellationRequested)
        {
            logger.LogWarning(e, "PostgreSQL refused a batch of {Count} audit row(s) on chain {WriterId}; writing them one by one", _batch.Count, WriterId);
        }
        foreach (var pending in _batch.ToList())
        {
            try
            {
                await WriteWithOneRetryAsync([pending], abandon);
                pending.Written();
            }
            catch (Exception e) when (AuditRefusal.IsRowRefused(e) && !abandon.IsCancellationRequested)
            {
                await quarantine.AddRecordAsync(pending.Decision, WriterId, _headSequence, e, abandon);
                pending.Committed?.TrySetException(new AuditRecordQuarantinedException(e));
                pending.WriteAhead?.MarkWritten(); // kept in audit.quarantine: nothing to replay
            }
            _batch.Remove(pending);
        }
    }

    /// <summary>
    /// Pooled connections that broke while idle (a network cut that has since healed) fail once:
    /// clear the pool and try again on a fresh connection. If the first attempt did commit before
    /// its answer was lost, the re-read head shows it and the batch is not written twice.
    /// </summary>
    private async Task WriteWithOneRetryAsync(IReadOnlyList<PendingAudit> rows, CancellationToken abandon)
    {
        // Only a head we knew before the attempt tells whether this batch committed.
        long? headBefore = _headKnown ? _headSequence : null;
        try
        {
            await WriteAsync(rows, committedIfHeadAt: null, abandon);
        }
        catch (Exception e) when (StorageCall.IsUnavailable(e) && !abandon.IsCancellationRequested)
        {
            _headKnown = false;
            database.DataSource.Clear();
            await WriteAsync(rows, committedIfHeadAt: headBefore + rows.Count, abandon);
        }
    }

    private async Task WriteAsync(IReadOnlyList<PendingAudit> rows, long? committedIfHeadAt, CancellationToken abandon)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var connection = await database.DataSource.OpenConnectionAsync(abandon);
        if (!_headKnown)
        {
            await LoadHeadAsync(connection, abandon);
            if (_headSequence == committedIfHeadAt)
            {
                return;
            }
        }
        await partitions.EnsureAsync(connection, rows.Select(p => AuditPartitions.MonthOf(p.Decision.DecidedAt)), abandon);
        var sequence = _headSequence;
        var hash = _headHash;
        // One COPY statement in autocommit is atomic, and a statement trigger moves the chain head
        // with it (0002_writer_head_trigger.sql): committed when CompleteAsync returns.
        await using (var copy = await connection.BeginBinaryImportAsync(AuditRowCopy.Statement, abandon))
        {
            foreach (var pending in rows)
            {
                sequence++;
                var previous = hash;
                hash = AuditChain.Hash(pending.Decision, WriterId, sequence, previous);
                await AuditRowCopy.WriteRowAsync(copy, pending.Decision, WriterId, sequence, previous, hash);
            }
            await copy.CompleteAsync(abandon);
        }
        _headSequence = sequence;
        _headHash = hash;
        observer?.Committed(rows.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started));
    }

    private async Task LoadHeadAsync(NpgsqlConnection connection, CancellationToken abandon)
    {
        await using var command = new NpgsqlCommand("SELECT head_sequence, head_hash FROM audit.writer WHERE writer_id = @writer", connection);
        command.Parameters.AddWithValue("writer", WriterId);
        await using var reader = await command.ExecuteReaderAsync(abandon);
        (_headSequence, _headHash) = await reader.ReadAsync(abandon) ? (reader.GetInt64(0), (byte[])reader[1]) : (0L, AuditChain.Genesis);
        _headKnown = true;
    }
}
