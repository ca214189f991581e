using PermissionLayer.Core.Audit;

namespace PermissionLayer.Storage.Audit;

/// <summary>A decision as read back from the log, with its place in its writer's chain.</summary>
public sealed record StoredDecision(AuditedDecision Decision, Guid WriterId, long Sequence, byte[] PreviousHash, byte[] Hash);
