using Microsoft.EntityFrameworkCore;

namespace PermissionLayer.Storage.PractitionerRoles;

/// <summary>Practitioner roles (written by imports only).</summary>
public sealed class PractitionerRoleStore(IDbContextFactory<PermissionLayerDbContext> contexts)
{
    public Task<IReadOnlyList<PractitionerRoleRow>> RolesOfAsync(string practitioner, CancellationToken cancellationToken = default) =>
        StorageCall.RunAsync(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            return (IReadOnlyList<PractitionerRoleRow>)await db.PractitionerRoles.AsNoTracking()
                .Where(r => r.Practitioner == practitioner).ToListAsync(cancellationToken);
        });
}
