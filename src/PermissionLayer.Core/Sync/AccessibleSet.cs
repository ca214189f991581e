using System.Collections.Immutable;
using PermissionLayer.Core.Decisions;

namespace PermissionLayer.Core.Sync;

/// <summary>
/// What a sync feed holds for a requester: either the patients it reaches (<see cref="AllPatients"/>
/// false, <see cref="Ids"/> = the members), or every patient but some (<see cref="AllPatients"/>
/// true, <see cref="Ids"/> = the patients their consent withholds). The feed compares two of these.
/// </summary>
public sealed record AccessibleSet(bool AllPatients, ImmutableSortedSet<string> Ids)
{
    public static readonly AccessibleSet Nobody = new(false, ImmutableSortedSet.Create<string>(StringComparer.Ordinal));

    public static AccessibleSet Of(AccessiblePatients accessible) => accessible.AllPatients
        ? new AccessibleSet(true, accessible.Withheld.ToImmutableSortedSet(StringComparer.Ordinal))
        : new AccessibleSet(false, accessible.Patients.ToImmutableSortedSet(StringComparer.Ordinal));

    public static AccessibleSet Members(IEnumerable<string> patients) => new(false, patients.ToImmutableSortedSet(StringComparer.Ordinal));

    public static AccessibleSet AllBut(IEnumerable<string> excluded) => new(true, excluded.ToImmutableSortedSet(StringComparer.Ordinal));

    /// <summary>Whether the patient is in the set.</summary>
    public bool Admits(string patient) => AllPatients != Ids.Contains(patient);

    /// <summary>Value equality over the ids (records compare collections by reference).</summary>
    public bool SameAs(AccessibleSet other) => AllPatients == other.AllPatients && Ids.SetEquals(other.Ids);
}
