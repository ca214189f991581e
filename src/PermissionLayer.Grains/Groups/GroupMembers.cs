using System.Collections.Immutable;
using PermissionLayer.Storage.Groups;

namespace PermissionLayer.Grains.Groups;

/// <summary>A patient set's activation's snapshot: its members with their periods, by patient id (immutable).</summary>
internal sealed record GroupMembers(ImmutableDictionary<string, GroupMembership> ByPatient)
{
    public static readonly GroupMembers None = new(ImmutableDictionary.Create<string, GroupMembership>(StringComparer.Ordinal));

    public static GroupMembers Of(IEnumerable<GroupMembership> memberships) =>
        new(memberships.ToImmutableDictionary(m => m.PatientId, StringComparer.Ordinal));

    /// <summary>
    /// The members after a committed change, as the store writes it (GroupStore): removals, then
    /// upserts (the last entry per patient wins; a patient both removed and upserted stays a member).
    /// </summary>
    public GroupMembers Changed(IEnumerable<GroupMembership> upserts, IEnumerable<string> removals) =>
        new(ByPatient.RemoveRange(removals)
            .SetItems(upserts.GroupBy(m => m.PatientId, StringComparer.Ordinal).Select(g => KeyValuePair.Create(g.Key, g.Last()))));

    public IReadOnlyList<string> Among(IEnumerable<string> patients, DateTimeOffset at) =>
        [.. patients.Where(p => ByPatient.TryGetValue(p, out var m) && m.IsEffectiveAt(at))];

    public IReadOnlyList<string> At(DateTimeOffset at) => [.. ByPatient.Values.Where(m => m.IsEffectiveAt(at)).Select(m => m.PatientId)];
}
