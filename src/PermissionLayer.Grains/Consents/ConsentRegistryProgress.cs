using System.Collections.Concurrent;
using PermissionLayer.Grains.Revisions;

namespace PermissionLayer.Grains.Consents;

/// <summary>
/// The revision each consent registry shard on this silo has applied, against the silo's own applied
/// revision: how far the registry is behind. A shard catches up before every screen, so the lag grows
/// between population searches and says how much a search will have to read first, never that a
/// search was answered from a stale registry.
/// </summary>
public sealed class ConsentRegistryProgress(RevisionClock clock)
{
    private readonly ConcurrentDictionary<int, long> _appliedByShard = new();

    /// <summary>Shards active on this silo.</summary>
    public int Shards => _appliedByShard.Count;

    /// <summary>
    /// Revisions between the silo's applied revision and the furthest-behind shard here (never
    /// negative: a shard reads PostgreSQL's latest, which may be ahead of the silo), or null when no
    /// shard is active on this silo.
    /// </summary>
    public long? Lag
    {
        get
        {
            long? oldest = null;
            foreach (var (_, applied) in _appliedByShard)
            {
                oldest = oldest is null ? applied : Math.Min(oldest.Value, applied);
            }
            return oldest is null ? null : Math.Max(0, clock.Current - oldest.Value);
        }
    }

    internal void Applied(int shard, long revision) => _appliedByShard[shard] = revision;

    internal void Left(int shard) => _appliedByShard.TryRemove(shard, out _);
}
