using Npgsql;

namespace PermissionLayer.Storage.Audit;

/// <summary>
/// The audit log's own connection pool, so that a burst of audit writes or a long export never
/// starves the entitlement stores (and the other way round).
/// </summary>
public sealed class AuditDatabase(string connectionString) : IAsyncDisposable
{
    /// <remarks>The application name ends up in <c>audit.writer.host</c>, naming the machine of each chain.</remarks>
    public NpgsqlDataSource DataSource { get; } = NpgsqlDataSource.Create(
        new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = $"permissionlayer-audit@{Environment.MachineName}" }.ConnectionString);

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
