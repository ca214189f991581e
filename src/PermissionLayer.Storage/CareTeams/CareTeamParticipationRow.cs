namespace PermissionLayer.Storage.CareTeams;

/// <summary>
/// One participant's period on a care team (FHIR <c>CareTeam.participant.period</c>), end exclusive;
/// null bounds are open. Kept with the team so that every decision checks it at its own instant.
/// </summary>
public sealed class CareTeamParticipationRow
{
    /// <summary>The participant, e.g. <c>Practitioner/x</c>.</summary>
    public required string Member { get; set; }
    public DateTimeOffset? PeriodStart { get; set; }
    public DateTimeOffset? PeriodEnd { get; set; }
}
