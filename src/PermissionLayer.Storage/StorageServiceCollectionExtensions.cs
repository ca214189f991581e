using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PermissionLayer.Storage.Access;
using PermissionLayer.Storage.ApiKeys;
using PermissionLayer.Storage.Batches;
using PermissionLayer.Storage.Changes;
using PermissionLayer.Storage.CareTeams;
using PermissionLayer.Storage.Clients;
using PermissionLayer.Storage.Consents;
using PermissionLayer.Storage.Grants;
using PermissionLayer.Storage.Groups;
using PermissionLayer.Storage.Imports;
using PermissionLayer.Storage.PractitionerRoles;

namespace PermissionLayer.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Registers the DbContext factory and the stores over one PostgreSQL database.</summary>
    public static IServiceCollection AddPermissionLayerStorage(this IServiceCollection services, string connectionString)
    {
        services.AddPooledDbContextFactory<PermissionLayerDbContext>(options => options.UseNpgsql(connectionString));
        services.AddSingleton<GrantStore>();
        services.AddSingleton<GroupStore>();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<CareTeamStore>();
        services.AddSingleton<ClientRegistrationStore>();
        services.AddSingleton<EntitlementChangeReader>();
        services.AddSingleton<PatientAccessQuery>();
        services.AddSingleton<ImportStore>();
        services.AddSingleton<PractitionerRoleStore>();
        services.AddSingleton<AdminBatchStore>();
        services.AddSingleton<ConsentStore>();
        return services;
    }
}
