using Npgsql;

namespace PermissionLayer.Server.Tests.Slice;

/// <summary>Changes grant rows directly in PostgreSQL, behind every grain's back (another node, a lost answer).</summary>
internal static class GrantRows
{
    /// <summary>Revokes every active grant of the principal; returns how many rows changed.</summary>
    public static async Task<int> RevokeAllAsync(string connectionString, string principal, string reason)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var revoke = new NpgsqlCommand(
            """
            UPDATE grants SET revoked_at = now(), revoked_revision = revision, revoked_by = 'test', revoke_reason = @reason
            WHERE principal = @principal AND revoked_at IS NULL
            """, connection);
        revoke.Parameters.AddWithValue("principal", principal);
        revoke.Parameters.AddWithValue("reason", reason);
        return await revoke.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
