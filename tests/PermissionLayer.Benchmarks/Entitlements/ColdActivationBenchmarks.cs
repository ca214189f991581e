using Microsoft.Extensions.DependencyInjection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Grains.Abstractions.Principals;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Benchmarks.Entitlements;

/// <summary>
/// The first question to a practitioner whose grain is not active: Orleans activates it, it loads
/// its 5,000 grants from PostgreSQL, then answers. Each invocation asks a different practitioner,
/// so every measured call is a real cold activation (one invocation per iteration).
/// </summary>
[Config(typeof(OneColdCallPerIteration))]
public class ColdActivationBenchmarks
{
    private const int Practitioners = 70;
    private ServerHost _host = null!;
    private IGrainFactory _grains = null!;
    private int _next;
    private string _practitioner = "";

    private sealed class OneColdCallPerIteration : ManualConfig
    {
        public OneColdCallPerIteration() => AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithInvocationCount(1).WithUnrollFactor(1)
            .WithWarmupCount(3).WithIterationCount(30));
    }

    [GlobalSetup]
    public void Setup()
    {
        (_host, _) = EntitlementData.StartAsync(Practitioners).GetAwaiter().GetResult();
        _grains = _host.Services.GetRequiredService<IGrainFactory>();
    }

    [GlobalCleanup]
    public void Cleanup() => _host.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [IterationSetup]
    public void NextPractitioner()
    {
        if (_next == Practitioners)
        {
            throw new InvalidOperationException($"more than {Practitioners} iterations: no cold practitioner left");
        }
        _practitioner = EntitlementData.ColdPractitioner(_next++);
    }

    [Benchmark(Description = "Cold activation, 5,000-patient panel, first question")]
    public async Task<bool> FirstQuestionToColdPractitioner()
    {
        var question = new AccessQuestion([EntitlementData.PanelPatient(_practitioner, 4_999)], DataActions.Read, "Patient", null, DateTimeOffset.UtcNow);
        var answer = await _grains.GetGrain<IPrincipalGrain>(_practitioner).Authorize(question);
        return answer.Permitted ? true : throw new InvalidOperationException($"{_practitioner} does not reach its own panel");
    }

    /// <summary>The storage share of an activation: the same 5,000 grants read as the grain reads them.</summary>
    [Benchmark(Description = "Read the 5,000 grants only (GrantStore)")]
    public async Task<int> ReadGrantsOnly()
    {
        var grants = await _host.Services.GetRequiredService<Storage.Grants.GrantStore>().LoadForPrincipalAsync(_practitioner);
        return grants.Count == EntitlementData.PanelSize ? grants.Count : throw new InvalidOperationException($"{_practitioner} has {grants.Count} grants");
    }
}
