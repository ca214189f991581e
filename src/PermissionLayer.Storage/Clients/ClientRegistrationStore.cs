using Microsoft.EntityFrameworkCore;
using PermissionLayer.Storage.Changes;

namespace PermissionLayer.Storage.Clients;

/// <summary>Client registrations. Only the client's registration grain calls the write method.</summary>
public sealed class ClientRegistrationStore(IDbContextFactory<PermissionLayerDbContext> contexts)
{
    public Task<ClientRegistrationRow?> LoadAsync(string clientId, CancellationToken cancellationToken = default) =>
        StorageCall.RunAsync(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            return await db.ClientRegistrations.AsNoTracking().SingleOrDefaultAsync(c => c.ClientId == clientId, cancellationToken);
        });

    /// <summary>Creates or replaces a registration, with its change record; returns the stored row.</summary>
    public Task<ClientRegistrationRow> PutAsync(
        ClientRegistrationRow registration, string actor, string reason, DateTimeOffset at, long? expectedRevision = null,
        CancellationToken cancellationToken = default) =>
        StorageCall.RunAsync(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var existing = await db.ClientRegistrations.SingleOrDefaultAsync(c => c.ClientId == registration.ClientId, cancellationToken);
            var revision = await ChangeLog.RecordAsync(db, "client.put", $"Client/{registration.ClientId}",
                [ChangedEntity.ClientOf(registration.ClientId)],
                before: existing is null ? null : Snapshot(existing), after: Snapshot(registration), actor, reason, at, cancellationToken, expectedRevision);
            if (existing is null)
            {
                existing = new ClientRegistrationRow
                {
                    ClientId = registration.ClientId, Name = registration.Name, Status = registration.Status, ScopeCeiling = registration.ScopeCeiling,
                };
                db.ClientRegistrations.Add(existing);
            }
            existing.Name = registration.Name;
            existing.Status = registration.Status;
            existing.ScopeCeiling = registration.ScopeCeiling;
            existing.Revision = revision;
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return existing;
        });

    private static object Snapshot(ClientRegistrationRow c) => new { c.ClientId, c.Name, c.Status, c.ScopeCeiling };
}
