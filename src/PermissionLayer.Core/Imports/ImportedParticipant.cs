namespace PermissionLayer.Core.Imports;

/// <summary>
/// A care team participant (<c>Practitioner/x</c>, <c>PractitionerRole/x</c>, <c>Organization/x</c>,
/// <c>RelatedPerson/x</c>, <c>Patient/x</c> or <c>CareTeam/x</c>) and the period they take part;
/// the end is exclusive. A participant who has left must not keep the team's access, hence the period.
/// </summary>
public sealed record ImportedParticipant(string Reference, DateTimeOffset? PeriodStart, DateTimeOffset? PeriodEnd);
