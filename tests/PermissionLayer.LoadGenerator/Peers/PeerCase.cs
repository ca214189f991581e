using PermissionLayer.Contracts.V1;

namespace PermissionLayer.LoadGenerator.Peers;

/// <summary>
/// One Observation read of the mix with every fact a stateless decision engine needs to decide it the
/// way our server does, gathered from the generated network as a policy enforcement point would gather
/// them before asking such an engine: the practitioner's panel (patient ids), ward grants (group ids,
/// with the clearance each carries) and care-team patients, the client's registration and groups, and
/// the patient's current wards, organization and consents, with the data's labels, code and date.
/// The same facts are also given the other way round (the panels and active care teams the patient is on,
/// the practitioner's care teams), for an engine that keeps memberships in an entity hierarchy (Cedar).
/// <see cref="Check"/> is the same question as our server gets it (which holds the entitlements itself).
/// </summary>
internal sealed record PeerCase(
    int Line,
    string Label,
    CheckRequest Check,
    string Practitioner,
    string PractitionerOrganization,
    IReadOnlyList<string> Panel,
    IReadOnlyList<PeerWardGrant> WardGrants,
    IReadOnlyList<string> CareTeamPatients,
    IReadOnlyList<string> CareTeams,
    bool OrganizationGrant,
    string Client,
    string ClientStatus,
    bool ClientAllPatients,
    IReadOnlyList<string> ClientGroups,
    string Purpose,
    string Patient,
    string PatientOrganization,
    IReadOnlyList<string> PatientWards,
    IReadOnlyList<string> PatientPanels,
    IReadOnlyList<string> PatientCareTeams,
    IReadOnlyList<PeerConsent> Consents,
    IReadOnlyList<string> Labels,
    string Code,
    DateTimeOffset Recorded);

/// <summary>A practitioner's grant to a ward: its actions and the labels it clears (R, PSY) for the ward's patients.</summary>
internal sealed record PeerWardGrant(string Group, string Actions, IReadOnlyList<string> Clears);

/// <summary>A patient's Consent as the generator shaped it (kind, status, the organization or practitioner it names).</summary>
internal sealed record PeerConsent(string Id, string Kind, string Status, string? Organization, string? Practitioner);
