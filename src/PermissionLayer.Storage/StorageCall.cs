using Npgsql;

namespace PermissionLayer.Storage;

/// <summary>
/// Turns "the database is not there" into <see cref="StorageUnavailableException"/>, so that every
/// caller fails closed the same way. Data errors (constraint violations, bad SQL) stay as they are.
/// </summary>
internal static class StorageCall
{
    public static async Task<T> RunAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw new StorageUnavailableException("PostgreSQL is unavailable: " + e.Message, e);
        }
    }

    internal static bool IsUnavailable(Exception e) => e switch
    {
        NpgsqlException { IsTransient: true } => true,
        PostgresException p => p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState is "57P01" or "57P02" or "57P03" or "53300",
        NpgsqlException n when n.InnerException is System.Net.Sockets.SocketException or TimeoutException or IOException => true,
        _ when e.InnerException is not null => IsUnavailable(e.InnerException),
        _ => false,
    };
}
