using Npgsql;

namespace PermissionLayer.Server.Tests.Batches;

/// <summary>
/// Reads what a batch left in PostgreSQL behind every grain's back (grants, the change log), and
/// holds the revision lock the way another admin write would.
/// </summary>
internal static class ChangeLogRows
{
    /// <summary>The advisory lock every write takes before it records its change (ChangeLog's key, "PLREVI").</summary>
    public const long RevisionLockKey = 0x504C_5245_5649;

    public static async Task<long> LatestRevisionAsync(string connectionString) =>
        await ScalarAsync<long>(connectionString, "SELECT COALESCE(MAX(revision), 0) FROM entitlement_changes");

    /// <summary>Grant rows (revoked or not) of every principal starting with <paramref name="prefix"/>.</summary>
    public static async Task<long> GrantsOfAsync(string connectionString, string prefix) =>
        await ScalarAsync<long>(connectionString, "SELECT count(*) FROM grants WHERE principal LIKE @p || '%'", ("p", prefix));

    /// <summary>Change rows whose subject starts with <paramref name="prefix"/>.</summary>
    public static async Task<long> ChangesOfAsync(string connectionString, string prefix) =>
        await ScalarAsync<long>(connectionString, "SELECT count(*) FROM entitlement_changes WHERE subject LIKE @p || '%'", ("p", prefix));

    /// <summary>Active grant ids by principal, for every principal starting with <paramref name="prefix"/>.</summary>
    public static async Task<Dictionary<string, string>> ActiveGrantIdsAsync(string connectionString, string prefix)
    {
        await using var connection = await OpenAsync(connectionString);
        await using var command = new NpgsqlCommand("SELECT principal, id FROM grants WHERE principal LIKE @p || '%' AND revoked_at IS NULL", connection);
        command.Parameters.AddWithValue("p", prefix);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            ids.Add(reader.GetString(0), reader.GetGuid(1).ToString());
        }
        return ids;
    }

    /// <summary>The entities recorded by the changes of the given revisions (<c>kind:key</c>).</summary>
    public static async Task<HashSet<string>> EntitiesOfAsync(string connectionString, IEnumerable<long> revisions)
    {
        await using var connection = await OpenAsync(connectionString);
        await using var command = new NpgsqlCommand("SELECT DISTINCT unnest(entities) FROM entitlement_changes WHERE revision = ANY(@r)", connection);
        command.Parameters.AddWithValue("r", revisions.ToArray());
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var entities = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            entities.Add(reader.GetString(0));
        }
        return entities;
    }

    /// <summary>
    /// Takes the revision lock on a connection of its own and holds it until disposed: every admin
    /// write waits behind it, as behind a long transaction of another node.
    /// </summary>
    public static async Task<NpgsqlConnection> HoldRevisionLockAsync(string connectionString)
    {
        // Not pooled: a pooled connection keeps its session (and the lock) after it is disposed.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand($"SELECT pg_advisory_lock({RevisionLockKey})", connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    /// <summary>Whether some session (a write in progress) holds the revision lock now.</summary>
    public static async Task<bool> RevisionLockHeldAsync(string connectionString) =>
        await ScalarAsync<bool>(connectionString,
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid::bigint = @c AND objid::bigint = @o AND objsubid = 1)",
            ("c", (long)(RevisionLockKey >> 32)), ("o", (long)(RevisionLockKey & 0xFFFF_FFFF)));

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync(connectionString);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return (T)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return connection;
    }
}
