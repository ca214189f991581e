using System.Threading.Channels;
using PermissionLayer.Core.Sync;

namespace PermissionLayer.Grains.Sync;

/// <summary>
/// One open feed as the <see cref="AccessibleFeedHub"/> sees it: what its set depends on, when time
/// next may change it, the revision and instant its set is known to be right at, and a bounded channel
/// of recompute signals. Nothing here outlives the call (no per-device state on the server).
/// </summary>
public sealed class AccessibleFeed
{
    private readonly Channel<FeedSignal> _signals;
    private readonly Lock _gate = new();
    private RequesterFacts _facts;
    private DateTimeOffset? _nextBoundary;
    private long _seen;
    private int _outstanding;
    private long _signalled;

    internal AccessibleFeed(RequesterFacts facts, long revision, DateTimeOffset at, int capacity)
    {
        _signals = Channel.CreateBounded<FeedSignal>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        _facts = facts;
        _nextBoundary = PeriodBoundaries.Next(facts.Boundaries, at);
        _seen = revision;
        ConfirmedRevision = revision;
        ConfirmedAt = at;
    }

    /// <summary>The recompute signals, in order. Completed when the consumer fell too far behind (<see cref="Overflowed"/>).</summary>
    public ChannelReader<FeedSignal> Signals => _signals.Reader;

    /// <summary>The consumer fell behind by more than the channel holds: it must resume (nothing was dropped silently).</summary>
    public bool Overflowed { get; private set; }

    /// <summary>The set delivered so far is exactly the accessible set at this revision…</summary>
    public long ConfirmedRevision { get; private set; }

    /// <summary>…and at this decision instant (when no signal is outstanding).</summary>
    public DateTimeOffset ConfirmedAt { get; private set; }

    /// <summary>Whether a heartbeat may claim <see cref="ConfirmedRevision"/> now: no recompute is pending.</summary>
    public bool Settled
    {
        get
        {
            lock (_gate)
            {
                return _outstanding == 0;
            }
        }
    }

    /// <summary>After the hub has checked the commits up to <paramref name="revision"/> and the instant <paramref name="now"/>.</summary>
    internal void Check(long revision, IReadOnlyList<(long Revision, IReadOnlyList<SyncEntity> Entities)> changes, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (Overflowed)
            {
                return;
            }
            var because = new List<SyncEntity>();
            foreach (var change in changes)
            {
                if (change.Revision > _seen)
                {
                    because.AddRange(_facts.Dependencies.Touched(change.Entities));
                }
            }
            _seen = Math.Max(_seen, revision);
            DateTimeOffset? boundary = _nextBoundary is { } next && next <= now ? next : null;
            if (because.Count == 0 && boundary is null)
            {
                if (_outstanding == 0)
                {
                    ConfirmedRevision = Math.Max(ConfirmedRevision, revision);
                    ConfirmedAt = now;
                }
                return;
            }
            _nextBoundary = null; // until the recompute says when next
            if (_signals.Writer.TryWrite(new FeedSignal(revision, [.. because.Distinct()], boundary)))
            {
                _outstanding++;
                _signalled++;
                return;
            }
            Overflowed = true;
            _signals.Writer.TryComplete();
        }
    }

    /// <summary>Signals written and not yet handled by a recompute (at most the channel's capacity), and signals written in all.</summary>
    internal (int Outstanding, long Signalled) Load
    {
        get
        {
            lock (_gate)
            {
                return (_outstanding, _signalled);
            }
        }
    }

    /// <summary>The last commit the hub has checked this feed against (see <see cref="Recomputed"/>: it may move back).</summary>
    internal long Seen
    {
        get
        {
            lock (_gate)
            {
                return _seen;
            }
        }
    }

    /// <summary>The feed recomputed its set at <paramref name="revision"/> and <paramref name="at"/> for <paramref name="handled"/> signals, and delivered the diff.</summary>
    public void Recomputed(RequesterFacts facts, long revision, DateTimeOffset at, int handled)
    {
        lock (_gate)
        {
            _facts = facts;
            // The commits after the set's revision were checked (while it was being computed) against
            // the facts of the previous set, which lack what this one added (a group just granted): a
            // commit touching only that would be confirmed unseen. Check them again against these
            // facts, which are read after the set and so hold every dependency it has, except edges a
            // later commit removed — and such a commit touches a principal of the requester (grants,
            // roles, participations are the principal's), or a set or team still in these facts.
            // A commit up to the revision is in the set already: no need to look at it again.
            _seen = revision;
            _outstanding -= handled;
            _nextBoundary = PeriodBoundaries.Next(facts.Boundaries, at);
            ConfirmedRevision = Math.Max(ConfirmedRevision, revision);
            ConfirmedAt = at;
        }
    }

    /// <summary>The dependencies the feed's set was last computed from.</summary>
    public RequesterFacts Facts
    {
        get
        {
            lock (_gate)
            {
                return _facts;
            }
        }
    }
}
