using Npgsql;
using Testcontainers.PostgreSql;

namespace PermissionLayer.Testing.Postgres;

/// <summary>
/// The PostgreSQL server the tests run against: the one named by
/// <c>PERMISSIONLAYER_TEST_POSTGRES</c> (a connection string with rights to create databases), or,
/// when that is unset, a Testcontainers container started once per test process. Same code path
/// either way: every test class gets a fresh database of its own.
/// </summary>
public static class PostgresServer
{
    public const string EnvironmentVariable = "PERMISSIONLAYER_TEST_POSTGRES";

    private static readonly Lazy<Task<string>> AdminConnectionString = new(StartAsync);

    /// <summary>Creates an empty database and returns a connection string to it.</summary>
    public static async Task<string> CreateDatabaseAsync(string purpose)
    {
        var admin = await AdminConnectionString.Value;
        var name = $"pl_{Sanitize(purpose)}_{Guid.NewGuid():N}"[..40];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        // Dozens of servers share one PostgreSQL in a test run: idle pooled connections are closed soon,
        // so that servers whose classes have finished do not hold the connection limit.
        return new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true, ConnectionIdleLifetime = 10, ConnectionPruningInterval = 5 }.ConnectionString;
    }

    private static async Task<string> StartAsync()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }
        var container = new PostgreSqlBuilder("postgres:16-alpine").Build();
        await container.StartAsync();
        // The container lives as long as the test process; Testcontainers' reaper removes it after.
        return container.GetConnectionString();
    }

    private static string Sanitize(string purpose) =>
        new(purpose.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(20).ToArray());
}
