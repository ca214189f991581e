using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace PermissionLayer.Storage.Audit;

/// <summary>
/// The one audit writer of this process: a loop that drains a bounded queue and writes each batch
/// with one binary COPY that also moves the writer's chain head (group commit: every
/// decision that arrived while the previous batch was committing shares the next commit). A full
/// queue makes callers wait; nothing is ever dropped.
/// </summary>
public sealed class AuditLogWriter
{
    private const string Copy = """
        COPY audit.decision (decided_at, decision_id, writer_id, sequence, caller, client_id, fhir_user, user_organization,
            patients, interaction, resource_type, resource_id, purpose_of_use, break_glass, break_glass_reason, jti,
            outcome, deciding_term, reasons, consents, revision, latency_us, previous_hash, hash) FROM STDIN (FORMAT BINARY)
        """;

    private readonly AuditDatabase _database;
    private readonly AuditPartitions _partitions;
    private readonly ILogger<AuditLogWriter> _logger;
    private readonly Channel<PendingAudit> _queue;
    private readonly int _maxBatchSize;
    private long _headSequence;
    private byte[] _headHash = AuditChain.Genesis;
    private bool _headKnown = true; // a new writer starts at the genesis
    private volatile bool _available = true;
    private Task? _loop;

    public AuditLogWriter(AuditDatabase database, AuditPartitions partitions, ILogger<AuditLogWriter> logger, int queueCapacity, int maxBatchSize)
    {
        _database = database;
        _partitions = partitions;
        _logger = logger;
        _maxBatchSize = maxBatchSize;
        _queue = Channel.CreateBounded<PendingAudit>(new BoundedChannelOptions(queueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // back-pressure, never drop
            SingleReader = true,
        });
    }

    /// <summary>Identifies this process's chain; a new one at every start.</summary>
    public Guid WriterId { get; } = Guid.CreateVersion7();

    /// <summary>False after a failed write until a write succeeds again.</summary>
    public bool IsAvailable => _available;

    public void Start() => _loop ??= Task.Run(RunAsync);

    /// <summary>Waits while the queue is full. Fails once the writer has stopped.</summary>
    public ValueTask EnqueueAsync(PendingAudit pending, CancellationToken cancellationToken) =>
        _queue.Writer.WriteAsync(pending, cancellationToken);

    /// <summary>Stops taking records and writes everything queued (graceful shutdown).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (_loop is not null)
        {
            await _loop.WaitAsync(cancellationToken);
        }
    }

    private async Task RunAsync()
    {
        var batch = new List<PendingAudit>(_maxBatchSize);
        var failures = 0;
        while (batch.Count > 0 || await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatchSize && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }
            try
            {
                await WriteWithOneRetryAsync(batch);
                _available = true;
                failures = 0;
                foreach (var pending in batch)
                {
                    pending.Committed?.TrySetResult();
                }
                batch.Clear();
            }
            catch (Exception e)
            {
                _available = false;
                _headKnown = false; // the commit may or may not have happened: re-read the head
                failures++;
                _logger.LogError(e, "Audit write of {Count} decision(s) failed", batch.Count);
                // Durable callers fail closed now; records whose callers were already answered stay
                // in the batch and are retried until they are written.
                var failure = new StorageUnavailableException("the audit log could not be written: " + e.Message, e);
                foreach (var pending in batch.Where(p => p.Committed is not null))
                {
                    pending.Committed!.TrySetException(failure);
                }
                batch.RemoveAll(p => p.Committed is not null);
                if (batch.Count > 0)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 50 * failures)));
                }
            }
        }
    }

    /// <summary>
    /// Pooled connections that broke while idle (a network cut that has since healed) fail once:
    /// clear the pool and try again on a fresh connection. If the first attempt did commit before
    /// its answer was lost, the re-read head shows it and the batch is not written twice.
    /// </summary>
    private async Task WriteWithOneRetryAsync(List<PendingAudit> batch)
    {
        // Only a head we knew before the attempt tells whether this batch committed.
        long? headBefore = _headKnown ? _headSequence : null;
        try
        {
            await WriteAsync(batch, committedIfHeadAt: null);
        }
        catch (Exception e) when (StorageCall.IsUnavailable(e))
        {
            _headKnown = false;
            _database.DataSource.Clear();
            await WriteAsync(batch, committedIfHeadAt: headBefore + batch.Count);
        }
    }

    private async Task WriteAsync(List<PendingAudit> batch, long? committedIfHeadAt)
    {
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        if (!_headKnown)
        {
            await LoadHeadAsync(connection);
            if (_headSequence == committedIfHeadAt)
            {
                return;
            }
        }
        await _partitions.EnsureAsync(connection, batch.Select(p => AuditPartitions.MonthOf(p.Decision.DecidedAt)), CancellationToken.None);
        var sequence = _headSequence;
        var hash = _headHash;
        // One COPY statement in autocommit is atomic, and a statement trigger moves the writer's
        // chain head with it (0002_writer_head_trigger.sql): committed when CompleteAsync returns.
        await using (var copy = await connection.BeginBinaryImportAsync(Copy))
        {
            foreach (var pending in batch)
            {
                sequence++;
                var previous = hash;
                hash = AuditChain.Hash(pending.Decision, WriterId, sequence, previous);
                await WriteRowAsync(copy, pending.Decision, sequence, previous, hash);
            }
            await copy.CompleteAsync();
        }
        _headSequence = sequence;
        _headHash = hash;
    }

    private async Task LoadHeadAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT head_sequence, head_hash FROM audit.writer WHERE writer_id = @writer", connection);
        command.Parameters.AddWithValue("writer", WriterId);
        await using var reader = await command.ExecuteReaderAsync();
        (_headSequence, _headHash) = await reader.ReadAsync() ? (reader.GetInt64(0), (byte[])reader[1]) : (0L, AuditChain.Genesis);
        _headKnown = true;
    }

    private async Task WriteRowAsync(NpgsqlBinaryImporter copy, Core.Audit.AuditedDecision d, long sequence, byte[] previous, byte[] hash)
    {
        await copy.StartRowAsync();
        await copy.WriteAsync(d.DecidedAt.UtcDateTime, NpgsqlDbType.TimestampTz);
        await copy.WriteAsync(d.DecisionId, NpgsqlDbType.Uuid);
        await copy.WriteAsync(WriterId, NpgsqlDbType.Uuid);
        await copy.WriteAsync(sequence, NpgsqlDbType.Bigint);
        await copy.WriteAsync(d.Caller, NpgsqlDbType.Text);
        await copy.WriteAsync(d.ClientId, NpgsqlDbType.Text);
        await WriteNullableAsync(copy, d.FhirUser);
        await WriteNullableAsync(copy, d.UserOrganization);
        await copy.WriteAsync(d.Patients.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
        await copy.WriteAsync(d.Interaction, NpgsqlDbType.Text);
        await copy.WriteAsync(d.ResourceType, NpgsqlDbType.Text);
        await WriteNullableAsync(copy, d.ResourceId);
        await WriteNullableAsync(copy, d.PurposeOfUse);
        await copy.WriteAsync(d.BreakGlass, NpgsqlDbType.Boolean);
        await WriteNullableAsync(copy, d.BreakGlassReason);
        await WriteNullableAsync(copy, d.Jti);
        await copy.WriteAsync(d.Outcome, NpgsqlDbType.Text);
        await WriteNullableAsync(copy, d.DecidingTerm);
        await copy.WriteAsync(d.ReasonsJson, NpgsqlDbType.Text);
        await copy.WriteAsync(d.Consents.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
        await copy.WriteAsync(d.Revision, NpgsqlDbType.Bigint);
        await copy.WriteAsync(d.LatencyMicroseconds, NpgsqlDbType.Bigint);
        await copy.WriteAsync(previous, NpgsqlDbType.Bytea);
        await copy.WriteAsync(hash, NpgsqlDbType.Bytea);
    }

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value)
    {
        if (value is null)
        {
            await copy.WriteNullAsync();
        }
        else
        {
            await copy.WriteAsync(value, NpgsqlDbType.Text);
        }
    }
}
