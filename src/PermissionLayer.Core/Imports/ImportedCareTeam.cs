using PermissionLayer.Core.References;

namespace PermissionLayer.Core.Imports;

/// <summary>
/// A FHIR CareTeam about one patient: its participants are entitled to the subject while the team is
/// active and within its period (end exclusive).
/// </summary>
public sealed record ImportedCareTeam(
    string CareTeamId,
    string? VersionId,
    DateTimeOffset? LastUpdated,
    string SubjectPatientId,
    CareTeamStatus Status,
    DateTimeOffset? PeriodStart,
    DateTimeOffset? PeriodEnd,
    IReadOnlyList<ImportedParticipant> Participants) : ImportedFact(VersionId, LastUpdated)
{
    public override FhirReference Resource => new("CareTeam", CareTeamId);

    /// <summary>The participants' references (<c>Practitioner/x</c>, ...), in document order.</summary>
    public IReadOnlyList<string> ParticipantReferences => [.. Participants.Select(participant => participant.Reference)];
}
