namespace PermissionLayer.Storage.Batches;

/// <summary>
/// The caller of a batch gave up (its deadline passed or it cancelled) before COMMIT: the transaction
/// was rolled back, nothing of the batch is stored and it used no revision.
/// </summary>
public sealed class BatchAbandonedException() : Exception("the caller gave up before the batch committed; nothing was applied");
