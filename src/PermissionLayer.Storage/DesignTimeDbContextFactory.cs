using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace PermissionLayer.Storage;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build the model without starting the host. The connection
/// string is never opened when only generating a migration.
/// </summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<PermissionLayerDbContext>
{
    public PermissionLayerDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PermissionLayerDbContext>()
            .UseNpgsql("Host=127.0.0.1;Database=design_time_only")
            .Options);
}
