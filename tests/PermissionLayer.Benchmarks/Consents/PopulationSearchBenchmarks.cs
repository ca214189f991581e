using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Core.Requests;
using PermissionLayer.Fhir.Consents;
using PermissionLayer.Grains.Abstractions.Consents;
using PermissionLayer.Grains.Abstractions.Groups;
using PermissionLayer.Grains.Abstractions.Principals;
using PermissionLayer.Grains.Decisions;
using PermissionLayer.Storage.Consents;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Benchmarks.Consents;

/// <summary>
/// Search narrowing for a user who reaches 50,000 patients (a ward group), 5,000 of whom have a consent
/// that withholds their data from the user's organization (PERFORMANCE.md: the whole set within 0.5 s,
/// the first page within 50 ms). Baseline: the same user's reach without the consent screen.
/// </summary>
[Config(typeof(InProcessShortRun))]
[MemoryDiagnoser]
public class PopulationSearchBenchmarks
{
    private const int Members = 50_000;
    private const int WithConsent = 5_000;
    private const string Practitioner = "Practitioner/pop-bench";
    private const string Ward = "pop-bench-ward";

    private ServerHost _host = null!;
    private IPrincipalGrain _practitioner = null!;
    private IConsentRegistryGrain[] _shards = null!;
    private DecisionEvaluator _decisions = null!;
    private TokenContext _token = null!;
    private ConsentScreening[] _screenings = null!;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("bench-population");
        _host = await ServerHost.StartAsync(connectionString);
        var grains = _host.Services.GetRequiredService<IGrainFactory>();
        var members = Enumerable.Range(0, Members).Select(n => new GroupMember(Patient(n), null, null)).ToList();
        await grains.GetGrain<IGroupGrain>(PatientSets.GroupKey(Ward)).ChangeMembers(new GroupMembersChange(members, [], "benchmarks", "ward"));
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await InsertAsync(connection);
        }
        _practitioner = grains.GetGrain<IPrincipalGrain>(Practitioner);
        _shards = [.. Enumerable.Range(0, ConsentRegistryShards.Count).Select(shard => grains.GetGrain<IConsentRegistryGrain>(ConsentRegistryShards.Key(shard)))];
        _decisions = _host.Services.GetRequiredService<DecisionEvaluator>();
        _token = new TokenContext
        {
            ClientId = "pop-bench-app", FhirUser = Practitioner, Scope = "user/Observation.rs", UserAffiliations = ["Organization/f001"],
        };
        var question = new ConsentQuestion(
            [Practitioner, "Organization/f001"], ["access", "use", "disclose"], "TREAT", "Observation", [], [], null, null, DateTimeOffset.UtcNow, true);
        var candidates = members.Select(m => m.PatientId).Order(StringComparer.Ordinal).ToLookup(p => ConsentShards.Of(p, ConsentRegistryShards.Count));
        _screenings = [.. Enumerable.Range(0, ConsentRegistryShards.Count).Select(shard => new ConsentScreening(question, [.. candidates[shard]]))];
        // Verify once: a benchmark of a wrong answer would measure nothing.
        var accessible = await _decisions.AccessiblePatientsAsync(_token, Interaction.SearchType, "Observation");
        if (accessible.Patients.Count != Members - WithConsent || accessible.Withheld.Count != WithConsent
            || await ReachWithoutConsentScreen() != Members || await ScreenInRegistry() != WithConsent
            || await LoadAllCompiledForms() != WithConsent)
        {
            throw new InvalidOperationException("the benchmark data does not give the expected accessible set");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _host.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "50k reach, no consent screen (principal grain)")]
    public async Task<int> ReachWithoutConsentScreen() =>
        (await _practitioner.Reach(DataActions.Read | DataActions.Search, "Observation", "TREAT", DateTimeOffset.UtcNow)).Patients.Count;

    [Benchmark(Description = "Consent screen of 50k candidates (registry shards in parallel, 5k consents)")]
    public async Task<int> ScreenInRegistry() =>
        (await Task.WhenAll(_shards.Select((shard, n) => shard.Screen(_screenings[n])))).Sum(screen => screen.Withheld.Count);

    [Benchmark(Description = "Accessible patients with consent (what StreamAccessiblePatients computes)")]
    public async Task<int> AccessiblePatientsWithConsent() =>
        (await _decisions.AccessiblePatientsAsync(_token, Interaction.SearchType, "Observation")).Patients.Count;

    /// <summary>What the registry's activation did before compiled forms were stored: read every consent and compile its JSON.</summary>
    [Benchmark(Description = "Registry load: read and compile 5k consents from JSON")]
    public async Task<int> LoadAndCompileAllConsents() =>
        (await LoadAllShardsAsync()).Count(s => ConsentCompiler.Compile(s.RawJson) is not null);

    /// <summary>What a shard's activation does once the forms are stored (the first load stores them).</summary>
    [Benchmark(Description = "Registry load: read 5k consents from their compiled forms")]
    public async Task<int> LoadAllCompiledForms() =>
        (await LoadAllShardsAsync()).Count(s => CompiledConsentForm.Read(s.CompiledForm) is not null);

    private async Task<IReadOnlyList<StoredConsent>> LoadAllShardsAsync()
    {
        var store = _host.Services.GetRequiredService<ConsentStore>();
        var shards = await Task.WhenAll(Enumerable.Range(0, ConsentRegistryShards.Count).Select(shard => store.LoadShardAsync(shard, ConsentRegistryShards.Count)));
        return [.. shards.SelectMany(shard => shard.Consents.Select(c => c.Consent))];
    }

    private static string Patient(int n) => $"pop-pt-{n}";

    /// <summary>The grants and, through SQL (as a bulk import would leave them, change records included), consents shaped like FHIR's consent-example-notOrg.</summary>
    private static async Task InsertAsync(NpgsqlConnection connection)
    {
        await using var grants = new NpgsqlCommand(
            """
            INSERT INTO grants (id, principal, target, actions, resource_types, purposes, valid_from, reason, granted_by, revision) VALUES
              (gen_random_uuid(), @practitioner, @ward, 'rs', '{}', '{}', now() - interval '1 day', 'benchmark', 'benchmarks', 1),
              (gen_random_uuid(), 'Client/pop-bench-app', '*', 'rs', '{}', '{}', now() - interval '1 day', 'benchmark', 'benchmarks', 1)
            """, connection);
        grants.Parameters.AddWithValue("practitioner", Practitioner);
        grants.Parameters.AddWithValue("ward", $"Group/{Ward}");
        await grants.ExecuteNonQueryAsync();
        await using var consents = new NpgsqlCommand(
            """
            INSERT INTO consents (id, patient_id, status, raw_json, revision, created_at, updated_at)
            SELECT 'c-' || n, 'pop-pt-' || (n * 10), 'active', replace(replace(@template, '{id}', 'c-' || n), '{patient}', 'pop-pt-' || (n * 10)),
                   1, now(), now()
            FROM generate_series(0, @last) AS n
            """, connection);
        consents.Parameters.AddWithValue("template", Template);
        consents.Parameters.AddWithValue("last", WithConsent - 1);
        await consents.ExecuteNonQueryAsync();
        // Their change records, as an import writes them: the (already running) registry catches up from these.
        await using var changes = new NpgsqlCommand(
            """
            INSERT INTO entitlement_changes (revision, at, actor, reason, kind, subject)
            SELECT (SELECT COALESCE(MAX(revision), 0) FROM entitlement_changes) + n + 1, now(), 'benchmarks', 'bulk consents',
                   'consent.put', 'Consent/c-' || n
            FROM generate_series(0, @last) AS n
            """, connection);
        changes.Parameters.AddWithValue("last", WithConsent - 1);
        await changes.ExecuteNonQueryAsync();
    }

    private const string Template = """
        {"resourceType": "Consent", "id": "{id}", "status": "active",
         "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "patient-privacy"}]},
         "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}],
         "patient": {"reference": "Patient/{patient}"},
         "policyRule": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "OPTIN"}]},
         "provision": {"type": "deny",
           "actor": [{"role": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "code": "PRCP"}]},
                      "reference": {"reference": "Organization/f001"}}],
           "action": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentaction", "code": "access"}]}]}}
        """;
}
