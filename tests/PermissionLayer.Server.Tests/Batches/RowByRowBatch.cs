using Microsoft.EntityFrameworkCore;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Storage;
using PermissionLayer.Storage.Grants;

namespace PermissionLayer.Server.Tests.Batches;

/// <summary>
/// The write path ApplyChanges had before it was set-based, kept only as the measurement's baseline:
/// one transaction, and for each change the revision lock, a read of the next revision, the change
/// row and the grant saved by their own round trips (the single-change code, called once per change).
/// </summary>
internal static class RowByRowBatch
{
    public static async Task<IReadOnlyList<long>> CreateAsync(IDbContextFactory<PermissionLayerDbContext> contexts, IReadOnlyList<Grant> grants, DateTimeOffset at)
    {
        await using var db = await contexts.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var revisions = new List<long>();
        foreach (var grant in grants)
        {
            revisions.Add((await GrantStore.CreateInTransactionAsync(db, grant, at, expectedRevision: null, CancellationToken.None)).Revision);
        }
        await transaction.CommitAsync();
        return revisions;
    }
}
