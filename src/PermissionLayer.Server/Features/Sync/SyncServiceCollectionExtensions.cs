using PermissionLayer.Grains.Sync;

namespace PermissionLayer.Server.Features.Sync;

/// <summary>Registers the offline-sync feed: one hub per silo, settings from <c>PermissionLayer:Sync</c>.</summary>
public static class SyncServiceCollectionExtensions
{
    public static IServiceCollection AddAccessibleFeeds(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection("PermissionLayer:Sync");
        var defaults = new AccessibleFeedOptions();
        services.AddSingleton(new AccessibleFeedOptions
        {
            Tick = TimeSpan.FromMilliseconds(section.GetValue("TickMilliseconds", defaults.Tick.TotalMilliseconds)),
            Heartbeat = TimeSpan.FromMilliseconds(section.GetValue("HeartbeatMilliseconds", defaults.Heartbeat.TotalMilliseconds)),
            Capacity = section.GetValue("Capacity", defaults.Capacity),
            MaxFeeds = section.GetValue("MaxFeeds", defaults.MaxFeeds),
            MaxResumeChanges = section.GetValue("MaxResumeChanges", defaults.MaxResumeChanges),
            MaxConcurrentRecomputes = Math.Max(1, section.GetValue("MaxConcurrentRecomputes", defaults.MaxConcurrentRecomputes)),
        });
        services.AddSingleton<RequesterFactsReader>();
        services.AddSingleton<AccessibleFeedHub>();
        services.AddSingleton<FeedRecomputes>();
        services.AddSingleton<AccessibleFeedService>();
        return services;
    }
}
