using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PermissionLayer.Grains.Abstractions.Groups;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Benchmarks.Entitlements;

/// <summary>
/// The data the entitlement benchmarks ask about, in a fresh database behind a real in-process
/// server (PostgreSQL from <c>PERMISSIONLAYER_TEST_POSTGRES</c>, as in the tests). Panels are
/// written with one INSERT ... SELECT (the grains load them on activation exactly as if an admin had
/// granted them one by one); the group goes through its grain.
/// </summary>
internal static class EntitlementData
{
    public const int PanelSize = 5_000;
    public const int WardSize = 500;
    public const string WarmPractitioner = "Practitioner/bench-warm";
    public const string Ward = "bench-ward";
    public const string Client = "bench-app";

    public static string ColdPractitioner(int n) => $"Practitioner/bench-cold-{n}";
    public static string PanelPatient(string practitioner, int n) => $"{practitioner["Practitioner/".Length..]}-pt-{n}";
    public static string WardPatient(int n) => $"ward-pt-{n}";

    public static async Task<(ServerHost Host, string ConnectionString)> StartAsync(int coldPractitioners)
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("bench");
        var host = await ServerHost.StartAsync(connectionString);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var practitioners = new List<string> { WarmPractitioner };
        practitioners.AddRange(Enumerable.Range(0, coldPractitioners).Select(ColdPractitioner));
        foreach (var practitioner in practitioners)
        {
            await InsertPanelAsync(connection, practitioner);
        }
        await InsertGrantAsync(connection, WarmPractitioner, $"Group/{Ward}");
        await InsertGrantAsync(connection, $"Client/{Client}", "*");
        var members = Enumerable.Range(0, WardSize).Select(n => new GroupMember(WardPatient(n), null, null)).ToList();
        await host.Services.GetRequiredService<IGrainFactory>().GetGrain<IGroupGrain>(PatientSets.GroupKey(Ward))
            .ChangeMembers(new GroupMembersChange(members, [], "benchmarks", "benchmark ward"));
        return (host, connectionString);
    }

    private static async Task InsertPanelAsync(NpgsqlConnection connection, string practitioner)
    {
        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO grants (id, principal, target, actions, resource_types, purposes, valid_from, reason, granted_by, revision)
            SELECT gen_random_uuid(), @principal, 'Patient/' || @prefix || n, 'rs', '{}', '{}', now() - interval '1 day',
                   'benchmark panel', 'benchmarks', 1
            FROM generate_series(0, @last) AS n
            """, connection);
        insert.Parameters.AddWithValue("principal", practitioner);
        insert.Parameters.AddWithValue("prefix", PanelPatient(practitioner, 0)[..^1]);
        insert.Parameters.AddWithValue("last", PanelSize - 1);
        await insert.ExecuteNonQueryAsync();
    }

    private static async Task InsertGrantAsync(NpgsqlConnection connection, string principal, string target)
    {
        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO grants (id, principal, target, actions, resource_types, purposes, valid_from, reason, granted_by, revision)
            VALUES (gen_random_uuid(), @principal, @target, 'rs', '{}', '{}', now() - interval '1 day', 'benchmark', 'benchmarks', 1)
            """, connection);
        insert.Parameters.AddWithValue("principal", principal);
        insert.Parameters.AddWithValue("target", target);
        await insert.ExecuteNonQueryAsync();
    }
}
