using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Fhir.Consents;
using PermissionLayer.Grains.Abstractions.Consents;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Storage.Consents;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;
using static PermissionLayer.Server.Tests.Consents.ConsentRequests;

namespace PermissionLayer.Server.Tests.Consents;

/// <summary>
/// The consent registry in shards, over a real restart: each shard loads exactly its patients (the SQL
/// and the grains agree on the shard of every id), and a start reads consents from their stored
/// compiled forms — but only forms this build wrote for that very consent; any other is compiled from
/// its JSON again, so a stale or misplaced form can never change a population search's answer.
/// </summary>
public sealed class ConsentRegistryShardTests
{
    private const string Doctor = "Practitioner/shard-doc";
    private static readonly string[] F001 = ["Organization/f001"];

    // Ids of several shapes (cases, lengths, dots and dashes) so the two hash implementations are compared on more than digits.
    private static readonly string[] Patients =
        [.. Enumerable.Range(0, 48).Select(n => (n % 3) switch { 0 => $"shard-pt-{n}", 1 => $"Shard.Dot-{n}", _ => $"s-{new string('x', 40)}-{n}" })];

    /// <summary>Half of the patients opt out of Organization/f001; the other half only refuse research.</summary>
    private static IEnumerable<string> OptedOut => Patients.Where((_, n) => n % 2 == 0);

    [Fact]
    public async Task After_a_restart_the_shards_screen_from_stored_forms_and_recompile_any_form_they_cannot_trust()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("consent-shards");
        await using (var first = await ServerHost.StartAsync(connectionString))
        {
            var admin = new AdminService.AdminServiceClient(first.Channel);
            await admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
            foreach (var (patient, n) in Patients.Select((p, n) => (p, n)))
            {
                await admin.CreateGrantAsync(Requests.Grant(Doctor, $"Patient/{patient}"));
                var fixture = n % 2 == 0 ? "consent-example-notOrg" : "consent-example-research";
                var json = Regex.Replace(Fixture(fixture), "\"Patient/f00\\d\"", $"\"Patient/{patient}\"").Replace($"\"id\": \"{fixture}\"", $"\"id\": \"c-{n}\"");
                await admin.PutConsentAsync(Put($"c-{n}", json));
            }
            await AssertWithheldAsync(first);
        }

        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            Assert.Equal(Patients.Length, await CountAsync(connection, "compiled_form LIKE '%' || @stamp || '%'"));
            // Rows as an older build (another stamp) or a bulk SQL load (none) leave them, and one
            // opt-out row carrying a research consent's form, written by this build for another consent:
            // read, it would let the patient through.
            await ExecuteAsync(connection, "UPDATE consents SET compiled_form = replace(compiled_form, @stamp, 'another-build') WHERE id IN ('c-0', 'c-1', 'c-2')");
            await ExecuteAsync(connection, "UPDATE consents SET compiled_form = NULL WHERE id IN ('c-3', 'c-4', 'c-6')");
            await ExecuteAsync(connection, "UPDATE consents SET compiled_form = (SELECT compiled_form FROM consents WHERE id = 'c-9') WHERE id = 'c-8'");
        }

        await using var second = await ServerHost.StartAsync(connectionString);
        await AssertWithheldAsync(second);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            // The shards stored fresh forms for the consents they compiled, c-8's own included.
            Assert.Equal(Patients.Length, await CountAsync(connection, "compiled_form LIKE '%' || @stamp || '%'"));
            Assert.Equal(1, await CountAsync(connection, "id = 'c-8' AND compiled_form LIKE '%\"Id\":\"c-8\"%'"));
        }

        var store = second.Services.GetRequiredService<ConsentStore>();
        var loaded = new List<string>();
        for (var shard = 0; shard < ConsentRegistryShards.Count; shard++)
        {
            var (_, consents) = await store.LoadShardAsync(shard, ConsentRegistryShards.Count, TestContext.Current.CancellationToken);
            Assert.All(consents, c => Assert.Equal(shard, ConsentShards.Of(c.PatientId, ConsentRegistryShards.Count)));
            loaded.AddRange(consents.Select(c => c.PatientId));
        }
        Assert.Equal(Patients.Order(StringComparer.Ordinal), loaded.Order(StringComparer.Ordinal));
        Assert.True(loaded.Select(p => ConsentShards.Of(p, ConsentRegistryShards.Count)).Distinct().Count() > 8, "the ids should spread over the shards");
    }

    private static async Task AssertWithheldAsync(ServerHost host)
    {
        var search = await new DecisionService.DecisionServiceClient(host.Channel).CheckAsync(SearchAllObservations(Doctor, affiliations: F001));

        Assert.Equal(Outcome.Permit, search.Outcome);
        Assert.Equal(OptedOut.Order(StringComparer.Ordinal), search.Obligation.Patients.ExcludedPatientIds);
        Assert.Equal(Patients.Except(OptedOut).Order(StringComparer.Ordinal), search.Obligation.Patients.PatientIds);
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string where)
    {
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM consents WHERE {where}", connection);
        command.Parameters.AddWithValue("stamp", CompiledConsentForm.Stamp);
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("stamp", CompiledConsentForm.Stamp);
        Assert.True(await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken) > 0, sql);
    }
}
