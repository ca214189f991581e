namespace PermissionLayer.Grains.Sync;

/// <summary>
/// A silo's open feeds at one instant (<see cref="AccessibleFeedHub.Stats"/>): how many, the recompute
/// signals pending in all and in the fullest feed, the signals issued by the open feeds so far, the
/// feeds told to resume for falling behind, and the commits held in the shared window, with the bounds
/// of the last two kinds of memory.
/// </summary>
public sealed record AccessibleFeedStats(
    int Feeds, int PendingSignals, int MaxPendingPerFeed, long SignalsIssued, int Overflowed, int RetainedChanges, int CapacityPerFeed, int Window);
