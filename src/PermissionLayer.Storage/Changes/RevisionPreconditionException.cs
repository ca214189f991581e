namespace PermissionLayer.Storage.Changes;

/// <summary>A write's precondition did not hold: its subject changed since the revision the caller expected.</summary>
/// <param name="subject">The entity the write changes.</param>
/// <param name="expected">The revision the caller expected its last change to be.</param>
/// <param name="actual">The revision its last change is.</param>
/// <param name="where">Where the write sits in a batch (e.g. <c>changes[2]</c>), prefixed to the message.</param>
public sealed class RevisionPreconditionException(string subject, long expected, long actual, string? where = null)
    : Exception($"{(where is null ? "" : where + ".")}expected_revision: {subject} was expected at revision {expected} but its last change is revision {actual}")
{
    public string Subject { get; } = subject;
    public long Expected { get; } = expected;
    public long Actual { get; } = actual;
}
