using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using PermissionLayer.Core.Sync;
using PermissionLayer.Grains.Decisions;
using PermissionLayer.Grains.Revisions;
using PermissionLayer.Storage.Changes;

namespace PermissionLayer.Grains.Sync;

/// <summary>
/// The silo's one subscription to the change log, fanned out to every open feed. Each tick it reads
/// the commits this silo has applied since the last tick (one query, whatever the number of feeds),
/// keeps the latest in a bounded window, and asks each feed whether they touch its dependencies or
/// whether a period boundary of its set has passed on the decision clock. A feed that is touched gets
/// a signal and recomputes its own set; the others only advance their confirmed revision, so the cost
/// of a change is one dependency test per feed plus one recompute per touched feed.
/// </summary>
public sealed class AccessibleFeedHub(
    RevisionClock revisions, DecisionClock time, EntitlementChangeReader reader, AccessibleFeedOptions options, ILogger<AccessibleFeedHub> logger)
    : IAsyncDisposable
{
    private const int Window = 4096;
    private const int PageSize = 1000;
    private readonly Lock _gate = new();
    private readonly HashSet<AccessibleFeed> _feeds = [];
    private readonly List<(long Revision, IReadOnlyList<SyncEntity> Entities)> _recent = [];
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;
    private long _processed = -1;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _feeds.Count;
            }
        }
    }

    /// <summary>Opens a feed whose set is right at <paramref name="revision"/> and <paramref name="at"/>; null when the silo holds its limit of feeds.</summary>
    public AccessibleFeed? Open(RequesterFacts facts, long revision, DateTimeOffset at)
    {
        var feed = new AccessibleFeed(facts, revision, at, options.Capacity);
        lock (_gate)
        {
            if (_feeds.Count >= options.MaxFeeds)
            {
                return null;
            }
            _feeds.Add(feed);
            if (_processed < 0)
            {
                _processed = revisions.Current;
            }
            _loop ??= Task.Run(() => RunAsync(_stopping.Token));
        }
        return feed;
    }

    /// <summary>
    /// What the silo's feeds hold now, for tests and operators: memory is the open feeds, their
    /// pending signals (each at most <see cref="AccessibleFeedOptions.Capacity"/>) and the window of
    /// recent commits (at most 4,096), whatever the number of feeds or the rate of changes.
    /// </summary>
    public AccessibleFeedStats Stats()
    {
        AccessibleFeed[] feeds;
        int retained;
        lock (_gate)
        {
            feeds = [.. _feeds];
            retained = _recent.Count;
        }
        var loads = feeds.Select(f => f.Load).ToList();
        return new AccessibleFeedStats(
            feeds.Length, loads.Sum(l => l.Outstanding), loads.Count == 0 ? 0 : loads.Max(l => l.Outstanding),
            loads.Sum(l => l.Signalled), feeds.Count(f => f.Overflowed), retained, options.Capacity, Window);
    }

    public void Close(AccessibleFeed feed)
    {
        lock (_gate)
        {
            _feeds.Remove(feed);
        }
    }

    /// <summary>The changes after <paramref name="revision"/> up to <paramref name="upTo"/>, as their entities, a page at a time (memory stays bounded).</summary>
    public async IAsyncEnumerable<IReadOnlyList<(long Revision, IReadOnlyList<SyncEntity> Entities)>> ChangePagesAsync(
        long revision, long upTo, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (revision < upTo)
        {
            var page = await reader.EntitiesAfterAsync(revision, PageSize, cancellationToken);
            var changes = page.Where(c => c.Revision <= upTo)
                .Select(c => (c.Revision, (IReadOnlyList<SyncEntity>)[.. c.Entities.Select(e => new SyncEntity(e.Kind, e.Key))])).ToList();
            if (changes.Count > 0)
            {
                yield return changes;
            }
            if (page.Count < PageSize)
            {
                yield break;
            }
            revision = page[^1].Revision;
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.Tick);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            try
            {
                await TickAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The feeds keep their confirmed revision (none advances); the next tick reads again.
                logger.LogWarning("The sync feeds could not read the change log: {Error}", e.Message);
            }
        }
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        var target = revisions.Current;
        if (target > _processed)
        {
            await foreach (var page in ChangePagesAsync(_processed, target, cancellationToken))
            {
                _recent.AddRange(page);
                if (_recent.Count > Window)
                {
                    _recent.RemoveRange(0, _recent.Count - Window);
                }
            }
            _processed = target;
        }
        var now = time.GetUtcNow();
        AccessibleFeed[] feeds;
        lock (_gate)
        {
            feeds = [.. _feeds];
        }
        var oldest = _recent.Count > 0 ? _recent[0].Revision : long.MaxValue;
        foreach (var feed in feeds)
        {
            var seen = feed.Seen;
            if (seen + 1 < oldest && seen < _processed)
            {
                // Behind the window (a recompute moved it back past a burst of commits): its own
                // read, a page at a time.
                await foreach (var page in ChangePagesAsync(seen, _processed, cancellationToken))
                {
                    feed.Check(page[^1].Revision, page, now);
                }
                feed.Check(_processed, [], now);
            }
            else
            {
                feed.Check(_processed, _recent, now);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
            }
        }
        _stopping.Dispose();
    }
}
