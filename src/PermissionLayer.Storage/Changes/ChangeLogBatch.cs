namespace PermissionLayer.Storage.Changes;

/// <summary>
/// What a batch of writes read from the change log under the revision lock: the first revision it may
/// take (its changes take the ones after it, in order) and the last revision of each subject whose
/// expected revision it checks. The batch updates <see cref="LastOf"/> as it records changes, so a
/// precondition later in the batch sees the earlier changes to its subject, as if made one by one.
/// </summary>
internal sealed class ChangeLogBatch(long firstRevision, Dictionary<string, long> last)
{
    private long _next = firstRevision;

    /// <summary>The revision the next change of the batch takes.</summary>
    public long Next => _next;

    /// <summary>The revision of the subject's last change (0: never changed); only for subjects read under the lock or changed by the batch.</summary>
    public long LastOf(string subject) => last.GetValueOrDefault(subject);

    /// <summary>Takes the next revision for a change to <paramref name="subject"/>, checking its expected revision first.</summary>
    /// <exception cref="RevisionPreconditionException">The subject's last change is not <paramref name="expected"/>.</exception>
    public long Take(string subject, long? expected)
    {
        if (expected is { } revision && LastOf(subject) != revision)
        {
            throw new RevisionPreconditionException(subject, revision, LastOf(subject));
        }
        last[subject] = _next;
        return _next++;
    }
}
