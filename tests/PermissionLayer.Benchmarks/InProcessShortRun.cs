using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace PermissionLayer.Benchmarks;

/// <summary>
/// ShortRun in process: the entitlement benchmarks need the running silo their setup started, not a
/// freshly built child process; the audit row benchmarks just spare the shared machine that build.
/// </summary>
internal sealed class InProcessShortRun : ManualConfig
{
    public InProcessShortRun() => AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
}
