using Hl7.Fhir.Model;
using PermissionLayer.Core.Imports;
using CareTeamStatus = PermissionLayer.Core.Imports.CareTeamStatus;

namespace PermissionLayer.Fhir.Imports;

/// <summary>Maps a FHIR CareTeam to the patient it is about and the participants it entitles.</summary>
internal static class CareTeamMapping
{
    private static readonly IReadOnlySet<string> ParticipantTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "Practitioner", "PractitionerRole", "Organization", "RelatedPerson", "Patient", "CareTeam",
    };

    public static ImportedCareTeam Map(CareTeam team, string id, ResourceScope scope)
    {
        var status = team.Status switch
        {
            CareTeam.CareTeamStatus.Proposed => CareTeamStatus.Proposed,
            CareTeam.CareTeamStatus.Active => CareTeamStatus.Active,
            CareTeam.CareTeamStatus.Suspended => CareTeamStatus.Suspended,
            CareTeam.CareTeamStatus.Inactive => CareTeamStatus.Inactive,
            CareTeam.CareTeamStatus.EnteredInError => CareTeamStatus.EnteredInError,
            _ => throw scope.Fail("CareTeam.status", "is missing; without it nobody can tell whether the team entitles its participants"),
        };
        var subject = ReferenceRules.Require(team.Subject, "CareTeam.subject", ReferenceRules.Patient, scope);
        var (start, end) = PeriodBounds.Entitling(team.Period, "CareTeam.period", scope);
        var participants = new List<ImportedParticipant>(team.Participant.Count);
        for (var i = 0; i < team.Participant.Count; i++)
        {
            var participant = team.Participant[i];
            // A participant given only by role, or as a contained resource, has no identity here and so
            // cannot become a principal; leaving it out only narrows access.
            if (participant.Member is null || participant.Member.IsContainedReference)
            {
                continue;
            }
            var member = ReferenceRules.Require(participant.Member, $"CareTeam.participant[{i}].member", ParticipantTypes, scope);
            var (from, until) = PeriodBounds.Entitling(participant.Period, $"CareTeam.participant[{i}].period", scope);
            participants.Add(new ImportedParticipant(member.ToString(), from, until));
        }
        return new ImportedCareTeam(id, team.Meta?.VersionId, team.Meta?.LastUpdated, subject.Id, status, start, end, participants);
    }
}
