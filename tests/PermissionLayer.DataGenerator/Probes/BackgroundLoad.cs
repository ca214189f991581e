using System.Diagnostics;
using PermissionLayer.Contracts.V1;

namespace PermissionLayer.DataGenerator.Probes;

/// <summary>The request mix replayed by a few workers while a probe measures something else ("under load").</summary>
public sealed class BackgroundLoad(DecisionService.DecisionServiceClient client, MixFile mix, int concurrency) : IAsyncDisposable
{
    /// <summary>It stops by itself after this, whatever the probe does.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(10);

    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private Task[] _workers = [];
    private long _calls, _errors;

    public void Start()
    {
        _workers = [.. Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var i = w * 7_919;
            while (!_stop.IsCancellationRequested && _clock.Elapsed < MaxDuration)
            {
                try
                {
                    await mix.Entries[i++ % mix.Entries.Count].SendAsync(client);
                    Interlocked.Increment(ref _calls);
                }
                catch (Grpc.Core.RpcException)
                {
                    Interlocked.Increment(ref _errors);
                }
            }
        }))];
    }

    public string Describe() => $"background mix: {concurrency} workers, {_calls / _clock.Elapsed.TotalSeconds:F0} calls/s, {_errors} errors";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        _stop.Dispose();
    }
}
