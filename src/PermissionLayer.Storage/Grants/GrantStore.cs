using Microsoft.EntityFrameworkCore;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Storage.Changes;

namespace PermissionLayer.Storage.Grants;

/// <summary>Reads and writes grants. Only the owning principal's grain calls the write methods.</summary>
public sealed class GrantStore(IDbContextFactory<PermissionLayerDbContext> contexts)
{
    /// <summary>All grants of a principal, revoked ones included (they carry <c>RevokedAt</c>).</summary>
    public Task<IReadOnlyList<Grant>> LoadForPrincipalAsync(string principal, CancellationToken cancellationToken = default) =>
        StorageCall.RunAsync(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var rows = await db.Grants.AsNoTracking().Where(g => g.Principal == principal).ToListAsync(cancellationToken);
            return (IReadOnlyList<Grant>)rows.Select(GrantMapping.ToGrant).ToList();
        });

    /// <summary>Commits a new grant with its change record and returns it with its revision.</summary>
    public Task<Grant> CreateAsync(Grant draft, DateTimeOffset at, long? expectedRevision = null, CancellationToken cancellationToken = default) =>
        StorageCall.RunAsync(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var grant = await CreateInTransactionAsync(db, draft, at, expectedRevision, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return grant;
        });

    /// <summary>The write of <see cref="CreateAsync"/> inside the caller's open transaction (an admin batch).</summary>
    internal static async Task<Grant> CreateInTransactionAsync(
        PermissionLayerDbContext db, Grant draft, DateTimeOffset at, long? expectedRevision, CancellationToken cancellationToken)
    {
        var revision = await ChangeLog.RecordAsync(
            db, "grant.created", draft.Principal, [ChangedEntity.PrincipalOf(draft.Principal)], before: null, after: GrantMapping.ToChangeView(draft),
            draft.GrantedBy, draft.Reason, at, cancellationToken, expectedRevision);
        var grant = draft with { Revision = revision };
        db.Grants.Add(GrantMapping.ToRow(grant));
        await db.SaveChangesAsync(cancellationToken);
        return grant;
    }

    /// <summary>Marks a grant revoked; returns the revoked grant, or null when no such active grant exists.</summary>
    public Task<Grant?> RevokeAsync(
        Guid grantId, string principal, string actor, string reason, DateTimeOffset at, long? expectedRevision = null,
        CancellationToken cancellationToken = default) =>
        StorageCall.RunAsync(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var revoked = await RevokeInTransactionAsync(db, grantId, principal, actor, reason, at, expectedRevision, cancellationToken);
            if (revoked is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }
            return revoked;
        });

    /// <summary>The write of <see cref="RevokeAsync"/> inside the caller's open transaction (an admin batch).</summary>
    internal static async Task<Grant?> RevokeInTransactionAsync(
        PermissionLayerDbContext db, Guid grantId, string principal, string actor, string reason, DateTimeOffset at,
        long? expectedRevision, CancellationToken cancellationToken)
    {
        var row = await db.Grants.SingleOrDefaultAsync(g => g.Id == grantId && g.Principal == principal && g.RevokedAt == null, cancellationToken);
        if (row is null)
        {
            return null;
        }
        var before = GrantMapping.ToGrant(row);
        var revision = await ChangeLog.RecordAsync(
            db, "grant.revoked", principal, [ChangedEntity.PrincipalOf(principal)], GrantMapping.ToChangeView(before), after: null, actor, reason, at, cancellationToken, expectedRevision);
        row.RevokedAt = at;
        row.RevokedRevision = revision;
        row.RevokedBy = actor;
        row.RevokeReason = reason;
        await db.SaveChangesAsync(cancellationToken);
        return GrantMapping.ToGrant(row) with { Revision = revision };
    }
}
