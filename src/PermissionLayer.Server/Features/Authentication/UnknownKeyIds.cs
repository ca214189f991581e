using System.Collections.Concurrent;

namespace PermissionLayer.Server.Features.Authentication;

/// <summary>
/// Key ids PostgreSQL recently said it does not have (or has revoked), so that a caller repeating an
/// unknown key costs no database work. Safe to remember: ids are random and chosen only by
/// <c>create-key</c>, so an id that is unknown now is not about to become some caller's key, and a
/// revoked key never comes back. Bounded: at capacity the oldest half is dropped (an attacker
/// cycling through random ids is held back by <see cref="FailedLookupBudget"/>, not by this set).
/// </summary>
public sealed class UnknownKeyIds(TimeProvider time, int capacity = 10_000)
{
    /// <summary>A remembered id is asked again after this long (a restored backup may hold it).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, long> _until = new(StringComparer.Ordinal);

    public bool Contains(string id)
    {
        if (!_until.TryGetValue(id, out var until))
        {
            return false;
        }
        if (time.GetUtcNow().UtcTicks < until)
        {
            return true;
        }
        _until.TryRemove(new KeyValuePair<string, long>(id, until));
        return false;
    }

    public void Add(string id)
    {
        if (_until.Count >= capacity)
        {
            foreach (var old in _until.OrderBy(e => e.Value).Take(capacity / 2).ToList())
            {
                _until.TryRemove(old);
            }
        }
        _until[id] = (time.GetUtcNow() + Lifetime).UtcTicks;
    }

    public int Count => _until.Count;
}
