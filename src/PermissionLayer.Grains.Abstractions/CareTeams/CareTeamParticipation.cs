namespace PermissionLayer.Grains.Abstractions.CareTeams;

/// <summary>
/// A participant of a care team and the period they take part (end exclusive; null bounds are open).
/// A member may appear more than once, with several periods.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CareTeamParticipation(
    [property: Id(0)] string Member,
    [property: Id(1)] DateTimeOffset? PeriodStart = null,
    [property: Id(2)] DateTimeOffset? PeriodEnd = null);
