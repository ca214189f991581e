using PermissionLayer.Grains.Sync;
using PermissionLayer.Server.Hosting;

namespace PermissionLayer.Server.Features.Sync;

/// <summary>Registers the offline-sync feed: one hub per silo, settings from <c>PermissionLayer:Sync</c>.</summary>
public static class SyncServiceCollectionExtensions
{
    public static IServiceCollection AddAccessibleFeeds(this IServiceCollection services, SyncOptions options)
    {
        services.AddSingleton(options.ToFeedOptions());
        services.AddSingleton<RequesterFactsReader>();
        services.AddSingleton<AccessibleFeedHub>();
        services.AddSingleton<FeedRecomputes>();
        services.AddSingleton<AccessibleFeedService>();
        return services;
    }
}
