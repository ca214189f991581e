using PermissionLayer.Core.Audit;

namespace PermissionLayer.Storage.Audit;

/// <summary>
/// A decision waiting for the writer. <see cref="Committed"/> is set when its caller waits for the
/// commit (durable mode) and null when the caller was already answered (queued mode).
/// </summary>
public sealed record PendingAudit(AuditedDecision Decision, TaskCompletionSource? Committed);
