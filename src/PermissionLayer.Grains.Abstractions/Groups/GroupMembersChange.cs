namespace PermissionLayer.Grains.Abstractions.Groups;

/// <summary>
/// A change to a group's membership, with who made it and why. With <see cref="ExpectedRevision"/>,
/// the set's last change must be that revision.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record GroupMembersChange(
    [property: Id(0)] IReadOnlyList<GroupMember> Upserts,
    [property: Id(1)] IReadOnlyList<string> Removals,
    [property: Id(2)] string Actor,
    [property: Id(3)] string Reason,
    [property: Id(4)] long? ExpectedRevision = null);
