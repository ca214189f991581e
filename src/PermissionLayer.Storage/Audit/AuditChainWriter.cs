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
    AuditDatabase database, AuditPartitions partitions, ChannelReader<PendingAudit> queue, int maxBatchSize, ILogger logger)
{
    private readonly List<PendingAudit> _batch = new(maxBatchSize);
    private long _headSequence;
    private byte[] _headHash = AuditChain.Genesis;
    private bool _headKnown = true; // a new chain starts at the genesis
    private volatile bool _available = true;

    /// <summary>Identifies this chain; new at every process start.</summary>
    public Guid WriterId { get; } = Guid.CreateVersion7();

    /// <summary>False after a failed write until a write succeeds again.</summary>
    public bool IsAvailable => _available;

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
            try
            {
                await WriteWithOneRetryAsync(abandon);
                _available = true;
                failures = 0;
                foreach (var pending in _batch)
                {
                    pending.Committed?.TrySetResult();
                }
                _batch.Clear();
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
                if (_batch.Count > 0)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 50 * failures)), abandon);
                }
            }
        }
    }

    /// <summary>
    /// Pooled connections that broke while idle (a network cut that has since healed) fail once:
    /// clear the pool and try again on a fresh connection. If the first attempt did commit before
    /// its answer was lost, the re-read head shows it and the batch is not written twice.
    /// </summary>
    private async Task WriteWithOneRetryAsync(CancellationToken abandon)
    {
        // Only a head we knew before the attempt tells whether this batch committed.
        long? headBefore = _headKnown ? _headSequence : null;
        try
        {
            await WriteAsync(committedIfHeadAt: null, abandon);
        }
        catch (Exception e) when (StorageCall.IsUnavailable(e) && !abandon.IsCancellationRequested)
        {
            _headKnown = false;
            database.DataSource.Clear();
            await WriteAsync(committedIfHeadAt: headBefore + _batch.Count, abandon);
        }
    }

    private async Task WriteAsync(long? committedIfHeadAt, CancellationToken abandon)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(abandon);
        if (!_headKnown)
        {
            await LoadHeadAsync(connection, abandon);
            if (_headSequence == committedIfHeadAt)
            {
                return;
            }
        }
        await partitions.EnsureAsync(connection, _batch.Select(p => AuditPartitions.MonthOf(p.Decision.DecidedAt)), abandon);
        var sequence = _headSequence;
        var hash = _headHash;
        // One COPY statement in autocommit is atomic, and a statement trigger moves the chain head
        // with it (0002_writer_head_trigger.sql): committed when CompleteAsync returns.
        await using (var copy = await connection.BeginBinaryImportAsync(AuditRowCopy.Statement, abandon))
        {
            foreach (var pending in _batch)
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
