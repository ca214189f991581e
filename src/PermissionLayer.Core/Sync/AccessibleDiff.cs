namespace PermissionLayer.Core.Sync;

/// <summary>
/// The events that take a device from one <see cref="AccessibleSet"/> to the next: the patients that
/// entered and left (sorted). When the set changes shape (every patient ↔ some patients) no list of
/// ids can say it: <see cref="NeedsSnapshot"/>, and the feed sends a fresh snapshot instead.
/// </summary>
public sealed record AccessibleDiff(IReadOnlyList<string> Entered, IReadOnlyList<string> Left, bool NeedsSnapshot)
{
    public bool IsEmpty => !NeedsSnapshot && Entered.Count == 0 && Left.Count == 0;

    public static AccessibleDiff Between(AccessibleSet before, AccessibleSet after)
    {
        if (before.AllPatients != after.AllPatients)
        {
            return new AccessibleDiff([], [], NeedsSnapshot: true);
        }
        var gained = after.Ids.Except(before.Ids).ToList();
        var lost = before.Ids.Except(after.Ids).ToList();
        // For "every patient but Ids", an id that joins Ids is a patient that left, and the reverse.
        return after.AllPatients
            ? new AccessibleDiff(lost, gained, false)
            : new AccessibleDiff(gained, lost, false);
    }

    /// <summary>Applies the diff to a set (what a device does); a diff that needs a snapshot cannot be applied.</summary>
    public AccessibleSet ApplyTo(AccessibleSet set)
    {
        if (NeedsSnapshot)
        {
            throw new InvalidOperationException("a change of shape is sent as a fresh snapshot, not applied as a diff");
        }
        var ids = set.AllPatients ? set.Ids.Union(Left).Except(Entered) : set.Ids.Union(Entered).Except(Left);
        return set with { Ids = ids };
    }
}
