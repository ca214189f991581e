namespace PermissionLayer.Grains.Abstractions.CareTeams;

/// <summary>A care team as an entitlement fact, and who changed it why.</summary>
/// <remarks>Field 4 (participants without periods) is retired: participants carry their periods (field 9).</remarks>
[GenerateSerializer, Immutable]
public sealed record CareTeamDefinition(
    [property: Id(0)] string SubjectPatientId,
    [property: Id(1)] string Status,
    [property: Id(2)] DateTimeOffset? PeriodStart,
    [property: Id(3)] DateTimeOffset? PeriodEnd,
    [property: Id(9)] IReadOnlyList<CareTeamParticipation> Participants,
    [property: Id(5)] string Actor,
    [property: Id(6)] string Reason,
    [property: Id(7)] long Revision = 0,
    [property: Id(8)] long? ExpectedRevision = null);
