using PermissionLayer.Core.Decisions;
using PermissionLayer.Grains.Sync;

namespace PermissionLayer.Server.Features.Sync;

/// <summary>A feed's set as computed at a revision and decision instant, with the facts it was computed from.</summary>
public sealed record FeedComputation(AccessiblePatients Accessible, RequesterFacts Facts, DateTimeOffset At);
