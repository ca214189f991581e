using System.Collections.Concurrent;
using System.Globalization;
using Npgsql;

namespace PermissionLayer.Storage.Audit;

/// <summary>
/// Monthly partitions of <c>audit.decision</c>: created ahead by the maintenance service, and on
/// demand by the writer for any month it has not seen, so an insert never lacks a partition.
/// </summary>
public sealed class AuditPartitions
{
    private readonly ConcurrentDictionary<DateOnly, bool> _known = new();

    public static DateOnly MonthOf(DateTimeOffset time) => new(time.UtcDateTime.Year, time.UtcDateTime.Month, 1);

    public static string NameOf(DateOnly month) => $"decision_{month.Year:D4}_{month.Month:D2}";

    public async Task EnsureAsync(NpgsqlConnection connection, IEnumerable<DateOnly> months, CancellationToken cancellationToken)
    {
        foreach (var month in months.Distinct().Where(m => !_known.ContainsKey(m)))
        {
            // The advisory lock keeps two nodes from racing on the catalog for the same partition.
            var sql = string.Create(CultureInfo.InvariantCulture, $"""
                SELECT pg_advisory_xact_lock(hashtext('permissionlayer.audit.partitions'));
                CREATE TABLE IF NOT EXISTS audit.{NameOf(month)} PARTITION OF audit.decision
                    FOR VALUES FROM ('{month:yyyy-MM-dd}') TO ('{month.AddMonths(1):yyyy-MM-dd}');
                """);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var command = new NpgsqlCommand(sql, connection, transaction))
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            _known[month] = true;
        }
    }
}
