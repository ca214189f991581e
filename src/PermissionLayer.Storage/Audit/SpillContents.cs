using PermissionLayer.Core.Audit;

namespace PermissionLayer.Storage.Audit;

/// <summary>What a spill file holds: the records read back, and the lines that are not records.</summary>
public sealed record SpillContents(IReadOnlyList<AuditedDecision> Records, IReadOnlyList<UnreadableSpillLine> Unreadable);
