using System.Collections.Concurrent;
using PermissionLayer.Storage.ApiKeys;

namespace PermissionLayer.Server.Features.Authentication;

/// <summary>
/// Validated keys, so that a decision does not cost a database round trip to authenticate. A miss
/// reads PostgreSQL (a key created on another node works at once); revocations reach every node
/// through <see cref="ApiKeyRevocationWatcher"/> within its polling interval. Unknown keys cost
/// PostgreSQL nothing after the first try (<see cref="UnknownKeyIds"/>), and a source that keeps
/// sending unknown keys is refused without a lookup (<see cref="FailedLookupBudget"/>).
/// </summary>
public sealed class ApiKeyCache(ApiKeyStore store, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, ApiKeyRow> _keys = new(StringComparer.Ordinal);
    private readonly UnknownKeyIds _unknown = new(time);
    private readonly FailedLookupBudget _budget = new(time);
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _revocations = new(StringComparer.Ordinal);

    /// <summary>
    /// The key's row when the key is genuine and not revoked; null otherwise. <paramref name="source"/>
    /// (the caller's address) is charged for lookups that find nothing.
    /// </summary>
    public async Task<ApiKeyRow?> ValidateAsync(string key, string source, CancellationToken cancellationToken)
    {
        if (!ApiKeySecret.TryParse(key, out var id, out var secret))
        {
            return null;
        }
        if (!_keys.TryGetValue(id, out var row))
        {
            if (_unknown.Contains(id) || !_budget.TryTake(source))
            {
                return null;
            }
            try
            {
                row = await store.FindAsync(id, cancellationToken);
            }
            catch
            {
                _budget.Refund(source); // not the caller's failure: PostgreSQL's
                throw;
            }
            if (row is null || row.RevokedAt is not null)
            {
                _unknown.Add(id);
                return null;
            }
            _budget.Refund(source);
            _keys[id] = row;
        }
        return ApiKeySecret.Matches(secret, row.SecretHash) ? row : null;
    }

    public void Forget(string id)
    {
        _keys.TryRemove(id, out _);
        _unknown.Add(id);
        if (_revocations.TryRemove(id, out var revoked))
        {
            revoked.Cancel();
        }
    }

    /// <summary>
    /// Cancelled when the key <paramref name="id"/> is revoked (<see cref="Forget"/>), or at once when
    /// it is no longer valid here: a long-lived call (a sync feed) authenticated once, at its start, and
    /// must end when its key does. One source per key (keys are few), shared by its calls.
    /// </summary>
    public CancellationToken Revocation(string id)
    {
        var source = _revocations.GetOrAdd(id, _ => new CancellationTokenSource());
        // Checked after registering: a Forget that ran before cannot be missed (it removed the key
        // first; whichever order the two interleave in, one of them cancels this source).
        if (!_keys.ContainsKey(id))
        {
            source.Cancel();
        }
        return source.Token;
    }
}
