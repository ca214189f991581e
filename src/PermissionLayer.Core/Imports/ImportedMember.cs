namespace PermissionLayer.Core.Imports;

/// <summary>
/// Patient/<paramref name="PatientId"/> belongs to a group from <paramref name="PeriodStart"/> until
/// <paramref name="PeriodEnd"/> (exclusive; FHIR's inclusive end at its precision is converted to the
/// first instant after it). Null bounds are open.
/// </summary>
/// <remarks>
/// <para><c>Inactive</c>: FHIR's <c>member.inactive</c>: the patient is listed but not currently a member.</para>
/// </remarks>
public sealed record ImportedMember(string PatientId, DateTimeOffset? PeriodStart, DateTimeOffset? PeriodEnd, bool Inactive);
