using System.Reflection;
using Npgsql;

namespace PermissionLayer.Storage.Audit;

/// <summary>
/// Applies the checked-in SQL scripts under <c>Audit/Migrations</c> in name order, recording each in
/// <c>public.__audit_migrations</c>. Plain SQL rather than EF Core: the audit tables are partitioned
/// and written by COPY, which EF Core neither models nor uses. An advisory lock serialises nodes
/// that start together.
/// </summary>
public static class AuditSchemaMigrator
{
    private const string Prefix = "PermissionLayer.Storage.Audit.Migrations.";

    /// <summary>Returns the names of the scripts it applied.</summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(AuditDatabase database, CancellationToken cancellationToken = default)
    {
        return await StorageCall.RunAsync(async () =>
        {
            await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(hashtext('permissionlayer.audit.migrations'))", cancellationToken);
            await ExecuteAsync(connection,
                "CREATE TABLE IF NOT EXISTS public.__audit_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
                cancellationToken);
            var applied = new HashSet<string>(StringComparer.Ordinal);
            await using (var read = new NpgsqlCommand("SELECT id FROM public.__audit_migrations", connection))
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    applied.Add(reader.GetString(0));
                }
            }
            var done = new List<string>();
            foreach (var (id, sql) in Scripts().Where(s => !applied.Contains(s.Id)))
            {
                await ExecuteAsync(connection, sql, cancellationToken);
                await using var record = new NpgsqlCommand("INSERT INTO public.__audit_migrations (id) VALUES (@id)", connection);
                record.Parameters.AddWithValue("id", id);
                await record.ExecuteNonQueryAsync(cancellationToken);
                done.Add(id);
            }
            await transaction.CommitAsync(cancellationToken);
            return (IReadOnlyList<string>)done;
        });
    }

    private static IEnumerable<(string Id, string Sql)> Scripts()
    {
        var assembly = typeof(AuditSchemaMigrator).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return (Path.GetFileNameWithoutExtension(name[Prefix.Length..]), reader.ReadToEnd());
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
