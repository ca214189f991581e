using Npgsql;

namespace PermissionLayer.Storage.Audit;

/// <summary>
/// The audit log's own connection pool, so that a burst of audit writes or a long export never
/// starves the entitlement stores (and the other way round).
/// </summary>
public sealed class AuditDatabase(string connectionString) : IAsyncDisposable
{
    public NpgsqlDataSource DataSource { get; } = NpgsqlDataSource.Create(connectionString);

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
