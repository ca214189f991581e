using PermissionLayer.Core.Sync;

namespace PermissionLayer.Grains.Sync;

/// <summary>What a feed's set was computed from: the entities it depends on and the instants at which time may change it.</summary>
public sealed record RequesterFacts(SyncDependencies Dependencies, IReadOnlyList<DateTimeOffset> Boundaries);
