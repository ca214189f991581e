using Npgsql;
using NpgsqlTypes;

namespace PermissionLayer.Storage.Groups;

/// <summary>
/// Writes members with one binary COPY on the caller's connection (and so inside its open
/// transaction): a 50,000-member change is one round of streaming, not 50,000 tracked INSERTs.
/// </summary>
internal static class GroupMemberCopy
{
    public static Task WriteAsync(
        NpgsqlConnection connection, string groupId, IEnumerable<GroupMembership> members, long revision, CancellationToken cancellationToken) =>
        WriteAsync(connection, members.Select(m => new GroupMemberWrite(groupId, m, revision)), cancellationToken);

    /// <summary>Members of any groups, each with the revision of the change that wrote it (an admin batch).</summary>
    public static async Task WriteAsync(NpgsqlConnection connection, IEnumerable<GroupMemberWrite> members, CancellationToken cancellationToken)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY group_members (group_id, patient_id, period_start, period_end, revision) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var (groupId, member, revision) in members)
        {
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(groupId, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(member.PatientId, NpgsqlDbType.Text, cancellationToken);
            await WriteInstantAsync(copy, member.PeriodStart, cancellationToken);
            await WriteInstantAsync(copy, member.PeriodEnd, cancellationToken);
            await copy.WriteAsync(revision, NpgsqlDbType.Bigint, cancellationToken);
        }
        await copy.CompleteAsync(cancellationToken);
    }

    private static Task WriteInstantAsync(NpgsqlBinaryImporter copy, DateTimeOffset? instant, CancellationToken cancellationToken) =>
        instant is { } value
            ? copy.WriteAsync(value.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken)
            : copy.WriteNullAsync(cancellationToken);
}
