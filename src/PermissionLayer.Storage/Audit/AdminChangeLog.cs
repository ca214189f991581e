using System.Runtime.CompilerServices;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace PermissionLayer.Storage.Audit;

/// <summary>
/// The admin change log, read from <c>entitlement_changes</c>: every entitlement write records its
/// change there in its own transaction (see ChangeLog), so this log holds exactly the committed
/// writes, in revision order.
/// </summary>
public sealed class AdminChangeLog(AuditDatabase database)
{
    public async IAsyncEnumerable<AdminChange> QueryAsync(AdminChangeFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var sql = new StringBuilder("SELECT revision, at, kind, subject, actor, reason, before::text, after::text FROM entitlement_changes WHERE true");
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
            Where("subject = @target", "target", target, NpgsqlDbType.Text);
        }
        if (filter.Operation is { } operation)
        {
            Where("kind = @operation", "operation", operation, NpgsqlDbType.Text);
        }
        if (filter.From is { } from)
        {
            Where("at >= @from", "from", from.UtcDateTime, NpgsqlDbType.TimestampTz);
        }
        if (filter.To is { } to)
        {
            Where("at < @to", "to", to.UtcDateTime, NpgsqlDbType.TimestampTz);
        }
        if (filter.AfterRevision is { } after)
        {
            Where("revision > @after", "after", after, NpgsqlDbType.Bigint);
        }
        sql.Append(" ORDER BY revision");
        if (filter.Limit > 0)
        {
            sql.Append(" LIMIT ").Append(filter.Limit);
        }
        command.CommandText = sql.ToString();
        await using var reader = await StorageCall.RunAsync(() => command.ExecuteReaderAsync(cancellationToken));
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new AdminChange(
                reader.GetInt64(0), new DateTimeOffset(reader.GetDateTime(1), TimeSpan.Zero), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7));
        }
    }
}
