using Microsoft.EntityFrameworkCore;
using PermissionLayer.Storage;
using PermissionLayer.Storage.Audit;

namespace PermissionLayer.Server.Hosting;

/// <summary>
/// Applies the checked-in migrations (at start, or as the <c>migrate</c> command): the EF Core
/// migrations of the entitlement model, then the audit schema's own SQL migrations.
/// </summary>
public static class DatabaseMigrator
{
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var contexts = services.GetRequiredService<IDbContextFactory<PermissionLayerDbContext>>();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseMigrator));
        if (pending.Count == 0)
        {
            logger.LogInformation("Database schema is up to date");
        }
        else
        {
            logger.LogInformation("Applying {Count} migration(s): {Migrations}", pending.Count, string.Join(", ", pending));
            await db.Database.MigrateAsync(cancellationToken);
        }
        var audit = await AuditSchemaMigrator.MigrateAsync(services.GetRequiredService<AuditDatabase>(), cancellationToken);
        if (audit.Count > 0)
        {
            logger.LogInformation("Applied audit migration(s): {Migrations}", string.Join(", ", audit));
        }
    }
}
