namespace PermissionLayer.Grains.Abstractions.Principals;

/// <summary>A stored grant as grains hand it out (actions as <c>cruds</c> letters).</summary>
[GenerateSerializer, Immutable]
public sealed record GrantView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Principal,
    [property: Id(2)] string Target,
    [property: Id(3)] string Actions,
    [property: Id(4)] IReadOnlyList<string> ResourceTypes,
    [property: Id(5)] IReadOnlyList<string> Purposes,
    [property: Id(6)] DateTimeOffset ValidFrom,
    [property: Id(7)] DateTimeOffset? ValidUntil,
    [property: Id(8)] string Reason,
    [property: Id(9)] string GrantedBy,
    [property: Id(10)] long Revision,
    [property: Id(11)] DateTimeOffset? RevokedAt,
    [property: Id(12)] string? Clearance = null,
    [property: Id(13)] IReadOnlyList<string>? SensitivityCategories = null,
    [property: Id(14)] bool BreakGlass = false);
