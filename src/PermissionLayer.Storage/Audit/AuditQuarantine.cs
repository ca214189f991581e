using System.Text.Json;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using PermissionLayer.Core.Audit;

namespace PermissionLayer.Storage.Audit;

/// <summary>
/// <c>audit.quarantine</c>: what the audit log could not put into a chain, kept with the error
/// instead of blocking the writer or the start. Every text is escaped first
/// (<see cref="AuditText"/>), so a quarantine row itself cannot be refused for its content.
/// </summary>
public sealed class AuditQuarantine(AuditDatabase database, ILogger<AuditQuarantine> logger)
{
    /// <summary>Rows quarantined by this process since it started (health and logs report it).</summary>
    public long Count => Interlocked.Read(ref _count);

    private long _count;

    /// <summary>A record PostgreSQL refused on its own; <paramref name="afterSequence"/> is its writer's head at the time.</summary>
    public Task AddRecordAsync(AuditedDecision record, Guid writerId, long afterSequence, Exception error, CancellationToken cancellationToken) =>
        InsertAsync(record.DecisionId, record.DecidedAt, writerId, afterSequence, "writer", Describe(error),
            AuditText.Readable(JsonSerializer.Serialize(AuditRowBounds.Bound(record))), cancellationToken);

    /// <summary>A line of a spill file that could not be read back as a record.</summary>
    public Task AddUnreadableAsync(string source, string line, string error, CancellationToken cancellationToken) =>
        InsertAsync(null, null, null, null, source, error, AuditText.JsonString(line), cancellationToken);

    private async Task InsertAsync(
        Guid? decisionId, DateTimeOffset? decidedAt, Guid? writerId, long? afterSequence, string source, string error, string record,
        CancellationToken cancellationToken)
    {
        await StorageCall.RunAsync(async () =>
        {
            await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand("""
                INSERT INTO audit.quarantine (decision_id, decided_at, writer_id, after_sequence, source, error, record)
                VALUES (@decision, @decided, @writer, @after, @source, @error, @record)
                """, connection);
            command.Parameters.Add(new NpgsqlParameter("decision", NpgsqlDbType.Uuid) { Value = (object?)decisionId ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter("decided", NpgsqlDbType.TimestampTz) { Value = (object?)decidedAt?.UtcDateTime ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter("writer", NpgsqlDbType.Uuid) { Value = (object?)writerId ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter("after", NpgsqlDbType.Bigint) { Value = (object?)afterSequence ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter("source", NpgsqlDbType.Text) { Value = AuditText.Readable(source) });
            command.Parameters.Add(new NpgsqlParameter("error", NpgsqlDbType.Text) { Value = AuditText.Readable(error) });
            command.Parameters.Add(new NpgsqlParameter("record", NpgsqlDbType.Text) { Value = record });
            return await command.ExecuteNonQueryAsync(cancellationToken);
        });
        Interlocked.Increment(ref _count);
        logger.LogError("Audit record {DecisionId} quarantined in audit.quarantine ({Source}): {Error}", decisionId, source, error);
    }

    private static string Describe(Exception e) => e is PostgresException p ? $"{p.SqlState}: {p.MessageText}" : $"{e.GetType().Name}: {e.Message}";
}
