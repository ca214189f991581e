using System.Text;
using Npgsql;

namespace PermissionLayer.Storage.Audit;

/// <summary>
/// Tells a row PostgreSQL refused for its content (bad data, a constraint, an index entry too large;
/// or a value Npgsql cannot encode) from the store being unavailable. Only the first is isolated and
/// quarantined: retrying it cannot help, and it must not take the rows sharing its commit with it.
/// </summary>
internal static class AuditRefusal
{
    public static bool IsRowRefused(Exception e) => !StorageCall.IsUnavailable(e) && Refused(e);

    private static bool Refused(Exception e) => e switch
    {
        // 22: data exception (e.g. 22021, a NUL byte); 23: integrity constraint; 54: program limit
        // exceeded (54000, an index row too large).
        PostgresException p => p.SqlState.Length == 5 && p.SqlState[..2] is "22" or "23" or "54",
        EncoderFallbackException or InvalidCastException or OverflowException or ArgumentException => true,
        _ => e.InnerException is { } inner && Refused(inner),
    };
}
