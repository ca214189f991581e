namespace PermissionLayer.Storage.CareTeams;

/// <summary>
/// A FHIR CareTeam as an entitlement fact: while it is active and in its period, every participant
/// is entitled to its subject patient.
/// </summary>
public sealed class CareTeamRow
{
    public required string Id { get; set; }
    public required string SubjectPatientId { get; set; }
    /// <summary>FHIR CareTeam.status: proposed, active, suspended, inactive, entered-in-error.</summary>
    public required string Status { get; set; }
    public DateTimeOffset? PeriodStart { get; set; }
    public DateTimeOffset? PeriodEnd { get; set; }
    /// <summary>Participant references, e.g. <c>Practitioner/x</c>.</summary>
    public string[] Participants { get; set; } = [];
    public long Revision { get; set; }
}
