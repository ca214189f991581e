using System.Runtime.CompilerServices;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace PermissionLayer.Storage.Audit;

/// <summary>The admin change table: one plain INSERT per admin write (they are rare), and filtered reads.</summary>
public sealed class AdminChangeLog(AuditDatabase database) : IAdminChangeRecorder
{
    public Task RecordAsync(AdminChange change, CancellationToken cancellationToken = default) =>
        StorageCall.RunAsync(async () =>
        {
            await using var command = database.DataSource.CreateCommand("""
                INSERT INTO audit.admin_change (change_id, changed_at, actor, operation, target, reason, before, after)
                VALUES (@id, @at, @actor, @operation, @target, @reason, @before, @after)
                """);
            command.Parameters.AddWithValue("id", change.ChangeId);
            command.Parameters.AddWithValue("at", change.ChangedAt.UtcDateTime);
            command.Parameters.AddWithValue("actor", change.Actor);
            command.Parameters.AddWithValue("operation", change.Operation);
            command.Parameters.AddWithValue("target", change.Target);
            command.Parameters.AddWithValue("reason", change.Reason);
            command.Parameters.Add(new NpgsqlParameter("before", NpgsqlDbType.Jsonb) { Value = (object?)change.BeforeJson ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter("after", NpgsqlDbType.Jsonb) { Value = (object?)change.AfterJson ?? DBNull.Value });
            return await command.ExecuteNonQueryAsync(cancellationToken);
        });

    public async IAsyncEnumerable<AdminChange> QueryAsync(AdminChangeFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var sql = new StringBuilder("SELECT change_id, changed_at, actor, operation, target, reason, before::text, after::text FROM audit.admin_change WHERE true");
        await using var connection = await StorageCall.RunAsync(() => database.DataSource.OpenConnectionAsync(cancellationToken).AsTask());
        await using var command = new NpgsqlCommand { Connection = connection };
        void Where(string condition, string name, object value, NpgsqlDbType type)
        {
            sql.Append(" AND ").Append(condition);
            command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value });
        }
        if (filter.Actor is { } actor)
        {
            Where("actor = @actor", "actor", actor, NpgsqlDbType.Text);
        }
        if (filter.Target is { } target)
        {
            Where("target = @target", "target", target, NpgsqlDbType.Text);
        }
        if (filter.Operation is { } operation)
        {
            Where("operation = @operation", "operation", operation, NpgsqlDbType.Text);
        }
        if (filter.From is { } from)
        {
            Where("changed_at >= @from", "from", from.UtcDateTime, NpgsqlDbType.TimestampTz);
        }
        if (filter.To is { } to)
        {
            Where("changed_at < @to", "to", to.UtcDateTime, NpgsqlDbType.TimestampTz);
        }
        if (filter.After is { } after)
        {
            sql.Append(" AND (changed_at, change_id) > (@after_time, @after_id)");
            command.Parameters.Add(new NpgsqlParameter("after_time", NpgsqlDbType.TimestampTz) { Value = after.Time.UtcDateTime });
            command.Parameters.Add(new NpgsqlParameter("after_id", NpgsqlDbType.Uuid) { Value = after.Id });
        }
        sql.Append(" ORDER BY changed_at, change_id");
        if (filter.Limit > 0)
        {
            sql.Append(" LIMIT ").Append(filter.Limit);
        }
        command.CommandText = sql.ToString();
        await using var reader = await StorageCall.RunAsync(() => command.ExecuteReaderAsync(cancellationToken));
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new AdminChange(reader.GetString(3), reader.GetString(4), reader.GetString(2), reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7))
            {
                ChangeId = reader.GetGuid(0),
                ChangedAt = new DateTimeOffset(reader.GetDateTime(1), TimeSpan.Zero),
            };
        }
    }
}
