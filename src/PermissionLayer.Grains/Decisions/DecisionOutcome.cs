using PermissionLayer.Core.Decisions;

namespace PermissionLayer.Grains.Decisions;

/// <summary>A decision together with the entitlement revision it was evaluated at.</summary>
public sealed record DecisionOutcome(Decision Decision, long Revision);
