using Microsoft.Extensions.DependencyInjection;
using BenchmarkDotNet.Attributes;
using Npgsql;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Core.Requests;
using PermissionLayer.Grains.Abstractions.Principals;
using PermissionLayer.Grains.Decisions;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Benchmarks.Entitlements;

/// <summary>
/// The cost of an entitlement question on warm grains, in process (a real silo, grain calls through
/// Orleans), against the baseline of answering the same question with one PostgreSQL query.
/// </summary>
[Config(typeof(InProcessShortRun))]
[MemoryDiagnoser]
public class WarmEntitlementBenchmarks
{
    private ServerHost _host = null!;
    private NpgsqlDataSource _database = null!;
    private IPrincipalGrain _practitioner = null!;
    private DecisionEvaluator _decisions = null!;
    private AccessQuestion _panelQuestion = null!;
    private AccessQuestion _wardQuestion = null!;
    private DecisionRequest _panelRead = null!;

    [GlobalSetup]
    public void Setup()
    {
        (_host, var connectionString) = EntitlementData.StartAsync(coldPractitioners: 0).GetAwaiter().GetResult();
        _database = NpgsqlDataSource.Create(connectionString);
        _practitioner = _host.Services.GetRequiredService<IGrainFactory>().GetGrain<IPrincipalGrain>(EntitlementData.WarmPractitioner);
        _decisions = _host.Services.GetRequiredService<DecisionEvaluator>();
        var now = DateTimeOffset.UtcNow;
        _panelQuestion = new([EntitlementData.PanelPatient(EntitlementData.WarmPractitioner, 2_500)], DataActions.Read, "Patient", null, now);
        _wardQuestion = new([EntitlementData.WardPatient(250)], DataActions.Read, "Patient", null, now);
        _panelRead = new DecisionRequest
        {
            Token = new TokenContext { ClientId = EntitlementData.Client, FhirUser = EntitlementData.WarmPractitioner, Scope = "openid fhirUser user/Patient.rs" },
            Interaction = Interaction.Read,
            ResourceType = "Patient",
            ResourceId = EntitlementData.PanelPatient(EntitlementData.WarmPractitioner, 2_500),
            Stored = new ResourceFacts { Complete = true, Patients = [EntitlementData.PanelPatient(EntitlementData.WarmPractitioner, 2_500)] },
        };
        // Activate and verify once: a benchmark of a wrong answer would measure nothing.
        if (!PanelPatientOnWarmGrain().GetAwaiter().GetResult() || !WardMemberOnWarmGrain().GetAwaiter().GetResult()
            || !FullDecisionInProcess().GetAwaiter().GetResult() || !OnePostgresQueryPerDecision().GetAwaiter().GetResult())
        {
            throw new InvalidOperationException("the benchmark data does not permit what the benchmarks ask");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _database.Dispose();
        _host.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Description = "Panel patient, warm grain")]
    public async Task<bool> PanelPatientOnWarmGrain() => (await _practitioner.Authorize(_panelQuestion)).Permitted;

    [Benchmark(Description = "Ward (group) member, warm grains")]
    public async Task<bool> WardMemberOnWarmGrain() => (await _practitioner.Authorize(_wardQuestion)).Permitted;

    [Benchmark(Description = "Full decision (scope, client, user), in process")]
    public async Task<bool> FullDecisionInProcess() =>
        (await _decisions.DecideAsync(_panelRead)).Decision.Outcome == Core.Decisions.Outcome.Permit;

    [Benchmark(Baseline = true, Description = "Same question, one PostgreSQL query")]
    public async Task<bool> OnePostgresQueryPerDecision()
    {
        await using var query = _database.CreateCommand(
            """
            SELECT EXISTS (
              SELECT 1 FROM grants g
              WHERE g.principal = $1 AND g.revoked_at IS NULL AND strpos(g.actions, 'r') > 0
                AND g.valid_from <= now() AND (g.valid_until IS NULL OR g.valid_until > now())
                AND (g.target = '*' OR g.target = 'Patient/' || $2
                     OR EXISTS (SELECT 1 FROM group_members m
                                WHERE g.target = 'Group/' || m.group_id AND m.patient_id = $2
                                  AND (m.period_start IS NULL OR m.period_start <= now())
                                  AND (m.period_end IS NULL OR m.period_end > now()))))
            """);
        query.Parameters.Add(new NpgsqlParameter { Value = EntitlementData.WarmPractitioner });
        query.Parameters.Add(new NpgsqlParameter { Value = _panelQuestion.Patients[0] });
        return (bool)(await query.ExecuteScalarAsync())!;
    }
}
