using PermissionLayer.Grains.Sync;

namespace PermissionLayer.Server.Hosting;

/// <summary>
/// Offline-sync feed limits (<c>PermissionLayer:Sync</c>), bound with the other options so that the
/// README's configuration table is checked against them too. Defaults are the grains' own.
/// </summary>
public sealed class SyncOptions
{
    private static readonly AccessibleFeedOptions Defaults = new();

    /// <summary>How often the silo's one subscription reads new commits (default 200 ms).</summary>
    public int TickMilliseconds { get; set; } = (int)Defaults.Tick.TotalMilliseconds;
    /// <summary>How often a quiet feed sends its revision (default 10000 ms).</summary>
    public int HeartbeatMilliseconds { get; set; } = (int)Defaults.Heartbeat.TotalMilliseconds;
    /// <summary>Recompute signals a feed may have pending before its consumer is told to resume (default 64).</summary>
    public int Capacity { get; set; } = Defaults.Capacity;
    /// <summary>Open feeds per silo; beyond it a new feed is RESOURCE_EXHAUSTED (default 10000).</summary>
    public int MaxFeeds { get; set; } = Defaults.MaxFeeds;
    /// <summary>Commits a resume reads before it gets a fresh snapshot instead (default 10000).</summary>
    public int MaxResumeChanges { get; set; } = Defaults.MaxResumeChanges;
    /// <summary>Set computations a node runs at once (default 4; at least 1).</summary>
    public int MaxConcurrentRecomputes { get; set; } = Defaults.MaxConcurrentRecomputes;

    public AccessibleFeedOptions ToFeedOptions() => new()
    {
        Tick = TimeSpan.FromMilliseconds(TickMilliseconds),
        Heartbeat = TimeSpan.FromMilliseconds(HeartbeatMilliseconds),
        Capacity = Capacity,
        MaxFeeds = MaxFeeds,
        MaxResumeChanges = MaxResumeChanges,
        MaxConcurrentRecomputes = Math.Max(1, MaxConcurrentRecomputes),
    };
}
