using System.Collections.Concurrent;
using System.Diagnostics;
using PermissionLayer.Grains.Sync;

namespace PermissionLayer.Server.Features.Sync;

/// <summary>
/// Runs the feeds' recomputes on one node. Two rules keep a change that touches many feeds from
/// flooding the silo (a 500-member group change reaching 1,000 feeds was 1,000 simultaneous set
/// computations queueing on the consent registry until its calls timed out):
/// <list type="bullet">
/// <item>At most <see cref="AccessibleFeedOptions.MaxConcurrentRecomputes"/> run at once; the others
/// wait their turn (back-pressure, not failure).</item>
/// <item>Feeds of the same request context (<see cref="FeedContextDigest"/>: several devices of one
/// user, one app's many sessions) share one computation — but only one that has not yet started
/// reading (it waits for a slot) or started after the feed asked, so it reads a revision and instant
/// no older than the ones the feed must reflect. A computation already reading when the feed asks may
/// predate the commit it must see: the feed queues a newer one instead, and later askers join that.</item>
/// </list>
/// A shared computation is not cancelled by any one feed (the others wait on it); each feed stops
/// waiting on its own token.
/// </summary>
public sealed class FeedRecomputes(AccessibleFeedOptions options)
{
    private readonly SemaphoreSlim _slots = new(options.MaxConcurrentRecomputes, options.MaxConcurrentRecomputes);
    private readonly ConcurrentDictionary<string, Running> _running = new(StringComparer.Ordinal);
    private long _started;
    private long _shared;

    /// <summary>Computations run, and asks served by joining one already started after them.</summary>
    public (long Started, long Shared) Counts => (Interlocked.Read(ref _started), Interlocked.Read(ref _shared));

    public async Task<FeedComputation> ComputeAsync(string context, Func<CancellationToken, Task<FeedComputation>> compute, CancellationToken cancellationToken)
    {
        var asked = Stopwatch.GetTimestamp();
        if (_running.TryGetValue(context, out var running) && running.Since >= asked)
        {
            Interlocked.Increment(ref _shared);
            return await running.Task.WaitAsync(cancellationToken);
        }
        var source = new TaskCompletionSource<FeedComputation>(TaskCreationOptions.RunContinuationsAsynchronously);
        var mine = new Running(source.Task);
        var current = _running.AddOrUpdate(context, mine, (_, existing) => existing.Since >= asked ? existing : mine);
        if (!ReferenceEquals(current, mine))
        {
            Interlocked.Increment(ref _shared);
            return await current.Task.WaitAsync(cancellationToken);
        }
        _ = RunAsync(context, mine, source, compute);
        return await source.Task.WaitAsync(cancellationToken);
    }

    private async Task RunAsync(string context, Running mine, TaskCompletionSource<FeedComputation> source, Func<CancellationToken, Task<FeedComputation>> compute)
    {
        try
        {
            await _slots.WaitAsync();
            try
            {
                Interlocked.Increment(ref _started);
                mine.Start(); // before any read: whoever saw it not started asked before these reads
                source.SetResult(await compute(CancellationToken.None));
            }
            finally
            {
                _slots.Release();
            }
        }
        catch (Exception e)
        {
            source.TrySetException(e);
        }
        finally
        {
            _running.TryRemove(KeyValuePair.Create(context, mine));
        }
    }

    /// <summary>A computation, queued or reading, and the instant it started reading (MaxValue while queued).</summary>
    private sealed class Running(Task<FeedComputation> task)
    {
        private long _since = long.MaxValue;

        public Task<FeedComputation> Task { get; } = task;

        public long Since => Volatile.Read(ref _since);

        public void Start() => Volatile.Write(ref _since, Stopwatch.GetTimestamp());
    }
}
