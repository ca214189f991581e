namespace PermissionLayer.Storage.Access;

/// <summary>
/// One way a principal reaches a patient: through a grant (to the patient, to everyone, or to a set
/// the patient is in) or by taking part in a care team about the patient.
/// </summary>
/// <param name="Principal">Who: <c>Practitioner/x</c>, <c>Client/&lt;client_id&gt;</c>, <c>Patient/x</c>, ...</param>
/// <param name="GrantId">The grant, or null for care-team participation (which needs no grant).</param>
/// <param name="Via">What the path goes through: <c>Patient/p</c>, <c>*</c>, <c>Group/g</c>, <c>Organization/o</c>, <c>CareTeam/c</c>.</param>
/// <param name="Actions">The <c>cruds</c> letters the path allows.</param>
/// <param name="ValidUntil">When the path stops counting, if it ever does.</param>
/// <param name="Explanation">The path in plain words.</param>
public sealed record PatientAccessPath(
    string Principal, Guid? GrantId, string Via, string Actions, DateTimeOffset? ValidUntil, string Explanation);
