using BenchmarkDotNet.Attributes;
using PermissionLayer.Core.Requests;
using PermissionLayer.Core.Scopes;
using PermissionLayer.Fhir.Resources;

namespace PermissionLayer.Benchmarks.Scopes;

/// <summary>The scope term's cost: parsing (uncached and cached) and evaluating typical requests.</summary>
[MemoryDiagnoser]
public class ScopeBenchmarks
{
    private const string Token =
        "openid fhirUser launch/patient offline_access patient/Patient.rs patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory patient/Condition.rs patient/MedicationRequest.rs patient/AllergyIntolerance.rs";

    private readonly ScopeParser _parser = new(R4ResourceTypes.Instance);
    private ScopeSet _set = null!;
    private ScopeRequest _read = null!;
    private ScopeRequest _granularRead = null!;
    private ScopeRequest _search = null!;

    [GlobalSetup]
    public void Setup()
    {
        _set = _parser.Parse(Token);
        var facts = new ResourceFacts
        {
            Patients = ["123"],
            Category = [Token_("http://terminology.hl7.org/CodeSystem/observation-category|laboratory")],
        };
        _read = new ScopeRequest { Interaction = Interaction.Read, ResourceType = "Condition", LaunchPatient = "123", Stored = facts };
        _granularRead = _read with { ResourceType = "Observation" };
        _search = new ScopeRequest { Interaction = Interaction.SearchType, ResourceType = "Observation", LaunchPatient = "123", Query = SearchQuery.Parse("code=http://loinc.org|4548-4") };
    }

    private static Core.Requests.Token Token_(string value) => Core.Requests.Token.Parse(value);

    [Benchmark]
    public ScopeSet ParseUncached() => _parser.ParseUncached(Token);

    [Benchmark]
    public ScopeSet ParseCached() => _parser.Parse(Token);

    [Benchmark]
    public ScopeDecision EvaluateRead() => ScopeEvaluator.Evaluate(_set, _read);

    [Benchmark]
    public ScopeDecision EvaluateGranularRead() => ScopeEvaluator.Evaluate(_set, _granularRead);

    [Benchmark]
    public ScopeDecision EvaluateSearch() => ScopeEvaluator.Evaluate(_set, _search);
}
