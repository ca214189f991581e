using System.Diagnostics;
using Npgsql;

namespace PermissionLayer.Testing.Postgres;

/// <summary>
/// A PostgreSQL cluster of one test's own (deploy/local/postgres.sh in a folder of its own), which
/// the test may stop and start again as an operator would; the shared test server must stay up for
/// the other test classes. A restart keeps the port, so the connection string stays valid.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _folder;

    private PrivatePostgres(string folder, string connectionString)
    {
        _folder = folder;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<PrivatePostgres> StartAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "permissionlayer-own-pg-" + Guid.NewGuid().ToString("N")[..12]);
        var url = await RunAsync(folder, "start");
        // Short idle lifetimes, as for the shared server's databases; a name of its own, so that no
        // pool of this process keyed by an equal string (an earlier cluster on the same port) is reused.
        var connectionString = new NpgsqlConnectionStringBuilder(url)
        {
            Pooling = true, ConnectionIdleLifetime = 10, ConnectionPruningInterval = 5, ApplicationName = Path.GetFileName(folder),
        }.ConnectionString;
        return new PrivatePostgres(folder, connectionString);
    }

    /// <summary>Stops the server (pg_ctl's fast shutdown: sessions are terminated, as on a real restart).</summary>
    public Task StopAsync() => RunAsync(_folder, "stop");

    public Task StartAgainAsync() => RunAsync(_folder, "start");

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the temp folder's own cleanup.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static async Task<string> RunAsync(string folder, string verb)
    {
        var script = Path.Combine(RepositoryLayout.Root, "deploy", "local", "postgres.sh");
        var start = new ProcessStartInfo("bash", [script, verb]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["PL_PG_DIR"] = folder;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"postgres.sh {verb} exited with {process.ExitCode}: {await errors}");
        }
        return (await output).Trim();
    }
}
