namespace PermissionLayer.Storage.CareTeams;

/// <summary>
/// A FHIR CareTeam as an entitlement fact: while it is active and in its period, every participant
/// whose own period runs is entitled to its subject patient.
/// </summary>
public sealed class CareTeamRow
{
    public required string Id { get; set; }
    public required string SubjectPatientId { get; set; }
    /// <summary>FHIR CareTeam.status: proposed, active, suspended, inactive, entered-in-error.</summary>
    public required string Status { get; set; }
    public DateTimeOffset? PeriodStart { get; set; }
    public DateTimeOffset? PeriodEnd { get; set; }
    /// <summary>
    /// The members named by <see cref="Participations"/>, each once, e.g. <c>Practitioner/x</c>: how a
    /// principal finds the teams it is on. Written by <see cref="CareTeamStore"/> from the participations.
    /// </summary>
    public string[] Participants { get; set; } = [];
    /// <summary>Who takes part when: the truth the team's grain decides from.</summary>
    public List<CareTeamParticipationRow> Participations { get; set; } = [];
    public long Revision { get; set; }
}
