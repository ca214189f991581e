namespace PermissionLayer.Storage.Changes;

/// <summary>A write's precondition did not hold: its subject changed since the revision the caller expected.</summary>
public sealed class RevisionPreconditionException(string subject, long expected, long actual)
    : Exception($"expected_revision: {subject} was expected at revision {expected} but its last change is revision {actual}")
{
    public string Subject { get; } = subject;
    public long Expected { get; } = expected;
    public long Actual { get; } = actual;
}
