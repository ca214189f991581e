using NpgsqlTypes;

namespace PermissionLayer.Storage.Audit;

/// <summary>
/// The admin change log, read from <c>entitlement_changes</c>: every entitlement write records its
/// change there in its own transaction (see ChangeLog), so this log holds exactly the committed
/// writes, in revision order.
/// </summary>
public sealed class AdminChangeLog(AuditDatabase database)
{
    public IAsyncEnumerable<AdminChange> QueryAsync(AdminChangeFilter filter, CancellationToken cancellationToken = default)
    {
        var query = new FilteredQuery("SELECT revision, at, kind, subject, actor, reason, before::text, after::text FROM entitlement_changes");
        if (filter.Actor is { } actor)
        {
            query.Where("actor = @actor", "actor", actor, NpgsqlDbType.Text);
        }
        if (filter.Target is { } target)
        {
            query.Where("subject = @target", "target", target, NpgsqlDbType.Text);
        }
        if (filter.Operation is { } operation)
        {
            query.Where("kind = @operation", "operation", operation, NpgsqlDbType.Text);
        }
        if (filter.From is { } from)
        {
            query.Where("at >= @from", "from", from.UtcDateTime, NpgsqlDbType.TimestampTz);
        }
        if (filter.To is { } to)
        {
            query.Where("at < @to", "to", to.UtcDateTime, NpgsqlDbType.TimestampTz);
        }
        if (filter.AfterRevision is { } after)
        {
            query.Where("revision > @after", "after", after, NpgsqlDbType.Bigint);
        }
        return query.ReadAsync(database, "revision", filter.Limit, reader => new AdminChange(
            reader.GetInt64(0), new DateTimeOffset(reader.GetDateTime(1), TimeSpan.Zero), reader.GetString(2), reader.GetString(3),
            reader.GetString(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7)),
            cancellationToken);
    }
}
