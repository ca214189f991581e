namespace PermissionLayer.Storage.Audit;

/// <summary>
/// The result of walking one writer's chain: intact, or the first broken link — the sequence number
/// where the chain stops holding, the decision found there (if any) and what is wrong.
/// </summary>
public sealed record ChainVerdict(Guid WriterId, long RowsVerified, bool Intact, long? BrokenAtSequence = null, Guid? BrokenDecisionId = null, string? Problem = null);
