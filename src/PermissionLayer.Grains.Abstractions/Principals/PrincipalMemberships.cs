namespace PermissionLayer.Grains.Abstractions.Principals;

/// <summary>What a principal belongs to besides its grants: care teams it takes part in and its roles at organizations.</summary>
[GenerateSerializer, Immutable]
public sealed record PrincipalMemberships(
    [property: Id(0)] IReadOnlyList<string> CareTeams,
    [property: Id(1)] IReadOnlyList<OrganizationRole> Roles);

/// <summary>A role at an organization (from an imported PractitionerRole).</summary>
[GenerateSerializer, Immutable]
public sealed record OrganizationRole(
    [property: Id(0)] string RoleId,
    [property: Id(1)] string? Organization,
    [property: Id(2)] bool Active,
    [property: Id(3)] DateTimeOffset? PeriodStart,
    [property: Id(4)] DateTimeOffset? PeriodEnd);
