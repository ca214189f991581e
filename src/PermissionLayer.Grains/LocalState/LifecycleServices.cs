using PermissionLayer.Grains.Revisions;

namespace PermissionLayer.Grains.LocalState;

/// <summary>What every <see cref="GrainLifecycle{TSnapshot}"/> on this silo shares (one per silo).</summary>
public sealed class LifecycleServices(RevisionClock clock, RevisionSync sync, LocalActivations activations, PublishedStates published)
{
    internal RevisionClock Clock => clock;
    internal RevisionSync Sync => sync;
    internal LocalActivations Activations => activations;
    internal PublishedStates Published => published;
}
