using System.Collections.Concurrent;

namespace PermissionLayer.Server.Features.Authentication;

/// <summary>
/// How many key lookups that found no key a source (a remote address) may still cause: a token
/// bucket per source, refilled over time. A source that has used its budget gets its unknown keys
/// refused without asking PostgreSQL, so a flood of random key ids costs no database work; a
/// genuine key already validated on this node is unaffected (it never reaches PostgreSQL).
/// Bounded: at most <see cref="MaxSources"/> sources are tracked; beyond that, the ones idle
/// longest are forgotten (a forgotten source starts with a full bucket again).
/// </summary>
public sealed class FailedLookupBudget(TimeProvider time, int burst = 100, double perSecond = 5)
{
    public const int MaxSources = 4_096;

    private sealed class Bucket(double tokens, long at)
    {
        public double Tokens = tokens;
        public long At = at;
    }

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>
    /// Takes a token for a lookup by the source; false when it has none left (the key is then refused
    /// unasked). Taken before the lookup, so concurrent calls cannot overdraw the budget.
    /// </summary>
    public bool TryTake(string source)
    {
        if (_buckets.Count >= MaxSources && !_buckets.ContainsKey(source))
        {
            foreach (var idle in _buckets.OrderBy(b => b.Value.At).Take(MaxSources / 4).ToList())
            {
                _buckets.TryRemove(idle);
            }
        }
        var bucket = _buckets.GetOrAdd(source, _ => new Bucket(burst, time.GetUtcNow().UtcTicks));
        lock (bucket)
        {
            Refill(bucket);
            if (bucket.Tokens < 1)
            {
                return false;
            }
            bucket.Tokens -= 1;
            return true;
        }
    }

    /// <summary>The lookup found a genuine key: its token is given back (only failures count).</summary>
    public void Refund(string source)
    {
        if (_buckets.TryGetValue(source, out var bucket))
        {
            lock (bucket)
            {
                bucket.Tokens = Math.Min(burst, bucket.Tokens + 1);
            }
        }
    }

    private void Refill(Bucket bucket)
    {
        var now = time.GetUtcNow().UtcTicks;
        var seconds = (now - bucket.At) / (double)TimeSpan.TicksPerSecond;
        bucket.Tokens = Math.Min(burst, bucket.Tokens + seconds * perSecond);
        bucket.At = now;
    }
}
