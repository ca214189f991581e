using Npgsql;

namespace PermissionLayer.Server.Tests.Slice;

/// <summary>
/// Changes care-team rows directly in PostgreSQL, behind every grain's back, as another node that
/// committed and failed before telling anyone might have left them.
/// </summary>
internal static class CareTeamRows
{
    /// <summary>Takes the member off the team (both the discovery column and, where the schema has it, the participations).</summary>
    public static Task<int> RemoveParticipantAsync(string connectionString, string team, string member) =>
        ChangeAsync(connectionString, team, member,
            "UPDATE care_teams SET participants = array_remove(participants, @member) WHERE id = @team",
            "UPDATE care_teams SET participations = COALESCE((SELECT jsonb_agg(p) FROM jsonb_array_elements(participations) p WHERE p->>'member' <> @member), '[]'::jsonb) WHERE id = @team");

    /// <summary>Puts the member on the team for as long as the team runs.</summary>
    public static Task<int> AddParticipantAsync(string connectionString, string team, string member) =>
        ChangeAsync(connectionString, team, member,
            "UPDATE care_teams SET participants = array_append(participants, @member) WHERE id = @team",
            "UPDATE care_teams SET participations = participations || jsonb_build_array(jsonb_build_object('member', @member::text, 'start', NULL, 'end', NULL)) WHERE id = @team");

    private static async Task<int> ChangeAsync(string connectionString, string team, string member, string participants, string participations)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
        var changed = await ExecuteAsync(connection, participants, team, member);
        if (await HasParticipationsAsync(connection))
        {
            await ExecuteAsync(connection, participations, team, member);
        }
        await transaction.CommitAsync(TestContext.Current.CancellationToken);
        return changed;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, string team, string member)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("team", team);
        command.Parameters.AddWithValue("member", member);
        return await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Whether care teams keep participant periods (a schema from before them has only the participants).</summary>
    private static async Task<bool> HasParticipationsAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand(
            "SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'care_teams' AND column_name = 'participations')", connection);
        return (bool)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }
}
