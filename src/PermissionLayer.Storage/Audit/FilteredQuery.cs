using System.Runtime.CompilerServices;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace PermissionLayer.Storage.Audit;

/// <summary>
/// A SELECT whose WHERE clause grows by the filters a query was given (each condition with its
/// parameters), read row by row in a stable order: what the audit and admin-change queries share.
/// </summary>
internal sealed class FilteredQuery(string select)
{
    private readonly StringBuilder _conditions = new();
    private readonly List<NpgsqlParameter> _parameters = [];

    public void Where(string condition, params NpgsqlParameter[] parameters)
    {
        _conditions.Append(" AND ").Append(condition);
        _parameters.AddRange(parameters);
    }

    public void Where(string condition, string name, object value, NpgsqlDbType type) =>
        Where(condition, new NpgsqlParameter(name, type) { Value = value });

    public async IAsyncEnumerable<T> ReadAsync<T>(
        AuditDatabase database, string orderBy, int limit, Func<NpgsqlDataReader, T> read,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var sql = $"{select} WHERE true{_conditions} ORDER BY {orderBy}{(limit > 0 ? $" LIMIT {limit}" : "")}";
        await using var connection = await StorageCall.RunAsync(() => database.DataSource.OpenConnectionAsync(cancellationToken).AsTask());
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(_parameters.ToArray());
        await using var reader = await StorageCall.RunAsync(() => command.ExecuteReaderAsync(cancellationToken));
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return read(reader);
        }
    }
}
