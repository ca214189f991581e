using PermissionLayer.Core.Audit;

namespace PermissionLayer.Storage.Audit;

/// <summary>
/// A decision waiting for the writer. <see cref="Committed"/> is set when its caller waits for the
/// commit (durable mode) and null when the caller was already answered (queued mode).
/// <see cref="WriteAhead"/> is the queued-mode write-ahead segment that holds the record until it is
/// written (told by <see cref="AuditWriteAheadSegment.MarkWritten"/>), or null.
/// </summary>
public sealed record PendingAudit(AuditedDecision Decision, TaskCompletionSource? Committed, AuditWriteAheadSegment? WriteAhead = null)
{
    /// <summary>The record is in audit.decision (or kept in audit.quarantine): its waiter and its write-ahead segment are told.</summary>
    public void Written()
    {
        Committed?.TrySetResult();
        WriteAhead?.MarkWritten();
    }
}
