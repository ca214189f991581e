using System.Collections.Concurrent;
using System.Diagnostics;

namespace PermissionLayer.LoadGenerator;

/// <summary>
/// A closed loop: <c>concurrency</c> workers each issue the next call as soon as the previous one
/// answers, for a fixed time. Bounded in count of workers and in time; it stops by itself.
/// </summary>
internal static class ClosedLoop
{
    public static async Task<LatencySample> RunAsync(string method, int concurrency, TimeSpan duration, Func<int, Task> call)
    {
        var latencies = new ConcurrentBag<double[]>();
        long calls = 0, errors = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            var mine = new List<double>(capacity: 100_000);
            while (clock.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await call(worker);
                    mine.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
                    Interlocked.Increment(ref calls);
                }
                catch (Grpc.Core.RpcException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
            latencies.Add([.. mine]);
        })).ToList();
        await Task.WhenAll(workers);
        var elapsed = clock.Elapsed;
        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        return new LatencySample(method, calls, errors, elapsed, all);
    }
}
