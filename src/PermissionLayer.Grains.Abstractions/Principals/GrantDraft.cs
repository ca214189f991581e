namespace PermissionLayer.Grains.Abstractions.Principals;

/// <summary>
/// A grant to create. Validated by the grain (target, letters, window) before it is stored. With
/// <see cref="ExpectedRevision"/>, the principal's last change must be that revision.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record GrantDraft(
    [property: Id(0)] string Target,
    [property: Id(1)] string Actions,
    [property: Id(2)] IReadOnlyList<string> ResourceTypes,
    [property: Id(3)] IReadOnlyList<string> Purposes,
    [property: Id(4)] DateTimeOffset? ValidFrom,
    [property: Id(5)] DateTimeOffset? ValidUntil,
    [property: Id(6)] string Reason,
    [property: Id(7)] string GrantedBy,
    [property: Id(8)] string? Clearance = null,
    [property: Id(9)] IReadOnlyList<string>? SensitivityCategories = null,
    [property: Id(10)] bool BreakGlass = false,
    [property: Id(11)] long? ExpectedRevision = null);
