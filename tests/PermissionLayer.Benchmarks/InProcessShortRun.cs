using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace PermissionLayer.Benchmarks;

/// <summary>
/// ShortRun in process: these benchmarks need the running silo their setup started, not a freshly
/// built child process.
/// </summary>
internal sealed class InProcessShortRun : ManualConfig
{
    public InProcessShortRun() => AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
}
