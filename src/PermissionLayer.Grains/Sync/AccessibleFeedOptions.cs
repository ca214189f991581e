namespace PermissionLayer.Grains.Sync;

/// <summary>Feed limits (configuration <c>PermissionLayer:Sync</c>).</summary>
public sealed record AccessibleFeedOptions
{
    /// <summary>How often the silo's one subscription reads new commits and checks period boundaries.</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How often a feed with nothing to say sends its revision.</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Recompute signals a feed may have pending before its consumer is told to resume.</summary>
    public int Capacity { get; init; } = 64;

    /// <summary>Open feeds per silo; beyond it a new feed is refused (RESOURCE_EXHAUSTED).</summary>
    public int MaxFeeds { get; init; } = 10_000;

    /// <summary>Set computations (snapshots and recomputes) a node runs at once; further feeds wait their turn.</summary>
    public int MaxConcurrentRecomputes { get; init; } = 4;

    /// <summary>Commits a resume reads to show its set untouched; beyond them it gets a fresh snapshot (bounded memory and time).</summary>
    public int MaxResumeChanges { get; init; } = 10_000;
}
