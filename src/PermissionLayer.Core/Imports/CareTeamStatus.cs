namespace PermissionLayer.Core.Imports;

/// <summary>FHIR R4 <c>CareTeam.status</c>. Only an active team entitles its participants.</summary>
public enum CareTeamStatus
{
    Proposed,
    Active,
    Suspended,
    Inactive,
    EnteredInError,
}
