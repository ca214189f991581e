using System.Globalization;
using Npgsql;

namespace PermissionLayer.Storage.Audit;

/// <summary>
/// Deletes audit data older than the retention period in bulk: whole monthly partitions are dropped,
/// the rows of the partly expired month are deleted, and each writer's retained chain start moves
/// forward so that verification still holds for what remains.
/// </summary>
public sealed class AuditRetention(AuditDatabase database)
{
    public Task ApplyAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        StorageCall.RunAsync(async () =>
        {
            await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var cutoffMonth = AuditPartitions.MonthOf(cutoff);
            foreach (var partition in await PartitionsAsync(connection, cancellationToken))
            {
                if (DateOnly.TryParseExact(partition["decision_".Length..], "yyyy_MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month)
                    && month < cutoffMonth)
                {
                    await ExecuteAsync(connection, $"DROP TABLE audit.{partition}", cutoff, cancellationToken);
                }
            }
            await ExecuteAsync(connection, "DELETE FROM audit.decision WHERE decided_at < @cutoff", cutoff, cancellationToken);
            // Each chain now starts at its first remaining row (writers with none keep their head).
            await ExecuteAsync(connection, """
                UPDATE audit.writer w SET first_sequence = f.sequence, first_previous_hash = f.previous_hash
                FROM (SELECT DISTINCT ON (writer_id) writer_id, sequence, previous_hash FROM audit.decision ORDER BY writer_id, sequence) f
                WHERE w.writer_id = f.writer_id AND w.first_sequence <> f.sequence;
                UPDATE audit.writer w SET first_sequence = w.head_sequence + 1, first_previous_hash = w.head_hash
                WHERE NOT EXISTS (SELECT 1 FROM audit.decision d WHERE d.writer_id = w.writer_id);
                """, cutoff, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return 0;
        });

    private static async Task<List<string>> PartitionsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'audit.decision'::regclass
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var names = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            names.Add(reader.GetString(0));
        }
        return names;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("cutoff", cutoff.UtcDateTime);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
