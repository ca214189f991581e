using Microsoft.EntityFrameworkCore;
using PermissionLayer.Storage.ApiKeys;
using PermissionLayer.Storage.CareTeams;
using PermissionLayer.Storage.Clients;
using PermissionLayer.Storage.Consents;
using PermissionLayer.Storage.Grants;
using PermissionLayer.Storage.Groups;
using PermissionLayer.Storage.PractitionerRoles;

namespace PermissionLayer.Storage;

/// <summary>
/// The system of record. Grains load from it on activation and write through it before they
/// acknowledge; nothing at run time reads entitlements from here per decision.
/// </summary>
public sealed class PermissionLayerDbContext(DbContextOptions<PermissionLayerDbContext> options) : DbContext(options)
{
    public DbSet<GrantRow> Grants => Set<GrantRow>();
    public DbSet<GroupMemberRow> GroupMembers => Set<GroupMemberRow>();
    public DbSet<ApiKeyRow> ApiKeys => Set<ApiKeyRow>();
    public DbSet<CareTeamRow> CareTeams => Set<CareTeamRow>();
    public DbSet<ClientRegistrationRow> ClientRegistrations => Set<ClientRegistrationRow>();
    public DbSet<PractitionerRoleRow> PractitionerRoles => Set<PractitionerRoleRow>();
    public DbSet<ConsentRow> Consents => Set<ConsentRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PermissionLayerDbContext).Assembly);
    }
}
