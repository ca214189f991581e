namespace PermissionLayer.Grains.Abstractions.Principals;

/// <summary>
/// What the privacy terms need to know about a requester, from their effective grants that cover the
/// request: the confidentiality ceiling and sensitivity categories they are cleared for, whether they
/// may break the glass, and the care teams they are on and organizations they hold a role at (consent
/// actors; organizations as <c>Organization/o</c>, from imported PractitionerRoles in force).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RequesterProfile(
    [property: Id(0)] string Clearance,
    [property: Id(1)] IReadOnlyList<string> SensitivityCategories,
    [property: Id(2)] bool MayBreakGlass,
    [property: Id(3)] IReadOnlyList<string> CareTeams,
    [property: Id(4)] IReadOnlyList<string>? Organizations = null);
