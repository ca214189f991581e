using Npgsql;

namespace PermissionLayer.Server.Tests.Audit;

/// <summary>Reads and tampers with audit.decision directly in PostgreSQL, as an attacker or an auditor's SQL would.</summary>
internal static class AuditTable
{
    public static async Task<long> CountAsync(string database, string? where = null)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM audit.decision" + (where is null ? "" : " WHERE " + where), connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public static async Task<T> ScalarAsync<T>(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The row of one decision as column name → value (null for SQL NULL), or null when there is none.</summary>
    public static async Task<Dictionary<string, object?>?> RowAsync(string database, string decisionId)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT * FROM audit.decision WHERE decision_id = @id", connection);
        command.Parameters.AddWithValue("id", Guid.Parse(decisionId));
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }
        var row = Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i));
        Assert.False(await reader.ReadAsync(), $"more than one row for decision {decisionId}");
        return row;
    }

    public static async Task<int> ExecuteAsync(string database, string sql, string decisionId)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", Guid.Parse(decisionId));
        return await command.ExecuteNonQueryAsync();
    }
}
