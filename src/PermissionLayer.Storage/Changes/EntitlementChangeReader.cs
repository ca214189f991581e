using Microsoft.EntityFrameworkCore;

namespace PermissionLayer.Storage.Changes;

/// <summary>
/// Reads the committed changes in revision order. Revisions commit in order (see <see cref="ChangeLog"/>),
/// so "everything after R" read now never misses a change that a later read would show below R:
/// a Watch can resume from the last revision it delivered.
/// </summary>
public sealed class EntitlementChangeReader(IDbContextFactory<PermissionLayerDbContext> contexts)
{
    /// <summary>Up to <paramref name="limit"/> changes with a revision above <paramref name="revision"/>, oldest first.</summary>
    /// <param name="revision">The last revision already seen.</param>
    /// <param name="subject">Only changes to this entity (e.g. <c>Group/g</c>), or all when null.</param>
    /// <param name="limit">The page size.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    public Task<IReadOnlyList<EntitlementChangeRow>> AfterAsync(
        long revision, string? subject, int limit, CancellationToken cancellationToken = default) =>
        StorageCall.RunAsync(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var changes = db.Set<EntitlementChangeRow>().AsNoTracking().Where(c => c.Revision > revision);
            if (subject is not null)
            {
                changes = changes.Where(c => c.Subject == subject);
            }
            return (IReadOnlyList<EntitlementChangeRow>)await changes.OrderBy(c => c.Revision).Take(limit).ToListAsync(cancellationToken);
        });

    /// <summary>
    /// Up to <paramref name="limit"/> changes above <paramref name="revision"/>, oldest first, as the
    /// entities each alters: a silo's catch-up (one range scan of the primary key, no JSON).
    /// </summary>
    public Task<IReadOnlyList<ChangedEntities>> EntitiesAfterAsync(long revision, int limit, CancellationToken cancellationToken = default) =>
        StorageCall.RunAsync(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var rows = await db.Set<EntitlementChangeRow>().AsNoTracking().Where(c => c.Revision > revision)
                .OrderBy(c => c.Revision).Take(limit).Select(c => new { c.Revision, c.Entities }).ToListAsync(cancellationToken);
            return (IReadOnlyList<ChangedEntities>)[.. rows.Select(r => new ChangedEntities(r.Revision, [.. r.Entities.Select(ChangedEntity.Parse)]))];
        });
}
