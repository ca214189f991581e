using System.Collections.Concurrent;
using PermissionLayer.Storage.ApiKeys;

namespace PermissionLayer.Server.Features.Authentication;

/// <summary>
/// Validated keys, so that a decision does not cost a database round trip to authenticate. A miss
/// reads PostgreSQL (a key created on another node works at once); revocations reach every node
/// through <see cref="ApiKeyRevocationWatcher"/> within its polling interval.
/// </summary>
public sealed class ApiKeyCache(ApiKeyStore store)
{
    private readonly ConcurrentDictionary<string, ApiKeyRow> _keys = new(StringComparer.Ordinal);

    /// <summary>The key's row when the key is genuine and not revoked; null otherwise.</summary>
    public async Task<ApiKeyRow?> ValidateAsync(string key, CancellationToken cancellationToken)
    {
        if (!ApiKeySecret.TryParse(key, out var id, out var secret))
        {
            return null;
        }
        if (!_keys.TryGetValue(id, out var row))
        {
            row = await store.FindAsync(id, cancellationToken);
            if (row is null || row.RevokedAt is not null)
            {
                return null;
            }
            _keys[id] = row;
        }
        return ApiKeySecret.Matches(secret, row.SecretHash) ? row : null;
    }

    public void Forget(string id) => _keys.TryRemove(id, out _);
}
