using Microsoft.EntityFrameworkCore;

namespace PermissionLayer.Storage.ApiKeys;

/// <summary>Creates, finds and revokes API keys.</summary>
public sealed class ApiKeyStore(IDbContextFactory<PermissionLayerDbContext> contexts)
{
    /// <summary>Creates a key and returns it in full: the only time the secret exists outside the caller.</summary>
    public Task<string> CreateAsync(string name, IReadOnlyCollection<string> roles, string createdBy, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("a key needs a name", nameof(name));
        }
        if (roles.Count == 0 || roles.Any(r => !CallerRoles.All.Contains(r)))
        {
            throw new ArgumentException($"roles must be some of {string.Join(", ", CallerRoles.All)}", nameof(roles));
        }
        return StorageCall.RunAsync(async () =>
        {
            var (id, key, hash) = ApiKeySecret.Generate();
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            db.ApiKeys.Add(new ApiKeyRow { Id = id, Name = name, Roles = [.. roles.Distinct()], SecretHash = hash, CreatedAt = at, CreatedBy = createdBy });
            await db.SaveChangesAsync(cancellationToken);
            return key;
        });
    }

    public Task<ApiKeyRow?> FindAsync(string id, CancellationToken cancellationToken = default) =>
        StorageCall.RunAsync(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            return await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == id, cancellationToken);
        });

    /// <summary>Every key, oldest first (no secrets: only their hashes are stored).</summary>
    public Task<IReadOnlyList<ApiKeyRow>> ListAsync(CancellationToken cancellationToken = default) =>
        StorageCall.RunAsync(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            return (IReadOnlyList<ApiKeyRow>)await db.ApiKeys.AsNoTracking().OrderBy(k => k.CreatedAt).ThenBy(k => k.Id).ToListAsync(cancellationToken);
        });

    /// <summary>Ids of keys revoked at or after <paramref name="since"/>.</summary>
    public Task<IReadOnlyList<string>> RevokedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken = default) =>
        StorageCall.RunAsync(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            return (IReadOnlyList<string>)await db.ApiKeys.AsNoTracking()
                .Where(k => k.RevokedAt != null && k.RevokedAt >= since).Select(k => k.Id).ToListAsync(cancellationToken);
        });

    public Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        StorageCall.RunAsync(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var changed = await db.ApiKeys.Where(k => k.Id == id && k.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, at), cancellationToken);
            return changed == 1;
        });
}
