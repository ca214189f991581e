using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;

namespace PermissionLayer.Storage.Clustering;

/// <summary>
/// Orleans cluster membership kept in the system of record's PostgreSQL, in our own schema
/// (<c>cluster_versions</c>, <c>cluster_members</c>; see the ClusterMembership migration).
/// </summary>
/// <remarks>
/// Orleans' membership protocol needs one thing from storage: a table version that every write
/// bumps atomically with the row it writes, guarded by etags, so that concurrent silos agree on a
/// single history. Each write here is one transaction: the version row is updated only if its etag is
/// the one the writer read, and the member row only if its own etag matches; otherwise nothing changes
/// and the write reports false, which Orleans answers by reading again.
/// </remarks>
public sealed class PostgresMembershipTable(NpgsqlDataSource dataSource, IOptions<ClusterOptions> clusterOptions) : IMembershipTable
{
    private string ClusterId => clusterOptions.Value.ClusterId;

    public async Task InitializeMembershipTable(bool tryInitTableVersion)
    {
        if (!tryInitTableVersion)
        {
            return;
        }
        await using var command = dataSource.CreateCommand(
            "INSERT INTO cluster_versions (cluster_id, version, etag) VALUES ($1, 0, $2) ON CONFLICT (cluster_id) DO NOTHING");
        command.Parameters.AddWithValue(ClusterId);
        command.Parameters.AddWithValue(NewEtag());
        await command.ExecuteNonQueryAsync();
    }

    public async Task DeleteMembershipTableEntries(string clusterId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var table in new[] { "cluster_members", "cluster_versions" })
        {
            await using var command = new NpgsqlCommand($"DELETE FROM {table} WHERE cluster_id = $1", connection, transaction);
            command.Parameters.AddWithValue(clusterId);
            await command.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }

    public async Task CleanupDefunctSiloEntries(DateTimeOffset beforeDate)
    {
        await using var command = dataSource.CreateCommand(
            "DELETE FROM cluster_members WHERE cluster_id = $1 AND status = $2 AND i_am_alive_time < $3");
        command.Parameters.AddWithValue(ClusterId);
        command.Parameters.AddWithValue((int)SiloStatus.Dead);
        command.Parameters.AddWithValue(beforeDate.UtcDateTime);
        await command.ExecuteNonQueryAsync();
    }

    public Task<MembershipTableData> ReadRow(SiloAddress key) => ReadAsync(key);

    public Task<MembershipTableData> ReadAll() => ReadAsync(null);

    public async Task<bool> InsertRow(MembershipEntry entry, TableVersion tableVersion)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (!await BumpVersionAsync(connection, transaction, tableVersion))
        {
            return false;
        }
        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO cluster_members (cluster_id, address, port, generation, silo_name, host_name, status, proxy_port,
                                         suspect_times, start_time, i_am_alive_time, etag)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            ON CONFLICT DO NOTHING
            """, connection, transaction);
        AddKey(insert, entry.SiloAddress);
        AddEntry(insert, entry);
        insert.Parameters.AddWithValue(NewEtag());
        if (await insert.ExecuteNonQueryAsync() != 1)
        {
            await transaction.RollbackAsync();
            return false;
        }
        await transaction.CommitAsync();
        return true;
    }

    public async Task<bool> UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (!await BumpVersionAsync(connection, transaction, tableVersion))
        {
            return false;
        }
        await using var update = new NpgsqlCommand(
            """
            UPDATE cluster_members SET silo_name = $5, host_name = $6, status = $7, proxy_port = $8, suspect_times = $9,
                   start_time = $10, i_am_alive_time = $11, etag = $12
            WHERE cluster_id = $1 AND address = $2 AND port = $3 AND generation = $4 AND etag = $13
            """, connection, transaction);
        AddKey(update, entry.SiloAddress);
        AddEntry(update, entry);
        update.Parameters.AddWithValue(NewEtag());
        update.Parameters.AddWithValue(etag);
        if (await update.ExecuteNonQueryAsync() != 1)
        {
            await transaction.RollbackAsync();
            return false;
        }
        await transaction.CommitAsync();
        return true;
    }

    public async Task UpdateIAmAlive(MembershipEntry entry)
    {
        // Liveness is not part of the versioned history: it neither bumps the version nor the etag.
        await using var command = dataSource.CreateCommand(
            "UPDATE cluster_members SET i_am_alive_time = $5 WHERE cluster_id = $1 AND address = $2 AND port = $3 AND generation = $4");
        AddKey(command, entry.SiloAddress);
        command.Parameters.AddWithValue(entry.IAmAliveTime.ToUniversalTime());
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Moves the version to <paramref name="next"/> if nobody else moved it since it was read.</summary>
    private async Task<bool> BumpVersionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, TableVersion next)
    {
        await using var command = new NpgsqlCommand(
            "UPDATE cluster_versions SET version = $2, etag = $3 WHERE cluster_id = $1 AND etag = $4", connection, transaction);
        command.Parameters.AddWithValue(ClusterId);
        command.Parameters.AddWithValue(next.Version);
        command.Parameters.AddWithValue(NewEtag());
        command.Parameters.AddWithValue(next.VersionEtag);
        if (await command.ExecuteNonQueryAsync() == 1)
        {
            return true;
        }
        await transaction.RollbackAsync();
        return false;
    }

    private async Task<MembershipTableData> ReadAsync(SiloAddress? key)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        // One snapshot for the version and the rows, so they describe the same moment.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        TableVersion version;
        await using (var read = new NpgsqlCommand("SELECT version, etag FROM cluster_versions WHERE cluster_id = $1", connection, transaction))
        {
            read.Parameters.AddWithValue(ClusterId);
            await using var reader = await read.ExecuteReaderAsync();
            version = await reader.ReadAsync() ? new TableVersion(reader.GetInt32(0), reader.GetString(1)) : new TableVersion(0, "");
        }
        var rows = new List<Tuple<MembershipEntry, string>>();
        var sql = """
            SELECT address, port, generation, silo_name, host_name, status, proxy_port, suspect_times, start_time, i_am_alive_time, etag
            FROM cluster_members WHERE cluster_id = $1
            """ + (key is null ? "" : " AND address = $2 AND port = $3 AND generation = $4");
        await using (var members = new NpgsqlCommand(sql, connection, transaction))
        {
            members.Parameters.AddWithValue(ClusterId);
            if (key is not null)
            {
                members.Parameters.AddWithValue(key.Endpoint.Address.ToString());
                members.Parameters.AddWithValue(key.Endpoint.Port);
                members.Parameters.AddWithValue(key.Generation);
            }
            await using var reader = await members.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add(Tuple.Create(MembershipRow.ToEntry(reader), reader.GetString(10)));
            }
        }
        await transaction.CommitAsync();
        return new MembershipTableData(rows, version);
    }

    private void AddKey(NpgsqlCommand command, SiloAddress address)
    {
        command.Parameters.AddWithValue(ClusterId);
        command.Parameters.AddWithValue(address.Endpoint.Address.ToString());
        command.Parameters.AddWithValue(address.Endpoint.Port);
        command.Parameters.AddWithValue(address.Generation);
    }

    private static void AddEntry(NpgsqlCommand command, MembershipEntry entry)
    {
        command.Parameters.AddWithValue(entry.SiloName ?? "");
        command.Parameters.AddWithValue(entry.HostName ?? "");
        command.Parameters.AddWithValue((int)entry.Status);
        command.Parameters.AddWithValue(entry.ProxyPort);
        command.Parameters.AddWithValue(MembershipRow.FormatSuspectTimes(entry.SuspectTimes));
        command.Parameters.AddWithValue(entry.StartTime.ToUniversalTime());
        command.Parameters.AddWithValue(entry.IAmAliveTime.ToUniversalTime());
    }

    private static string NewEtag() => Guid.NewGuid().ToString("N");
}
