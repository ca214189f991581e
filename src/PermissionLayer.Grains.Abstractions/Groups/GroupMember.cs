namespace PermissionLayer.Grains.Abstractions.Groups;

/// <summary>Patient/<see cref="PatientId"/> is a member from <see cref="PeriodStart"/> until <see cref="PeriodEnd"/> (exclusive).</summary>
[GenerateSerializer, Immutable]
public sealed record GroupMember(
    [property: Id(0)] string PatientId,
    [property: Id(1)] DateTimeOffset? PeriodStart,
    [property: Id(2)] DateTimeOffset? PeriodEnd);
