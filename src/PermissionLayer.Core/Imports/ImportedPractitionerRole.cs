using PermissionLayer.Core.References;

namespace PermissionLayer.Core.Imports;

/// <summary>
/// A practitioner's role at an organization, which is how organization-level grants reach a user.
/// The period end is exclusive.
/// </summary>
/// <remarks>
/// <para><c>PractitionerReference</c>: <c>Practitioner/x</c>.</para>
/// <para><c>OrganizationReference</c>: <c>Organization/x</c>, if the role names one.</para>
/// <para><c>Active</c>: FHIR's <c>PractitionerRole.active</c>; absent means true.</para>
/// </remarks>
public sealed record ImportedPractitionerRole(
    string RoleId,
    string? VersionId,
    DateTimeOffset? LastUpdated,
    string PractitionerReference,
    string? OrganizationReference,
    bool Active,
    DateTimeOffset? PeriodStart,
    DateTimeOffset? PeriodEnd) : ImportedFact(VersionId, LastUpdated)
{
    public override FhirReference Resource => new("PractitionerRole", RoleId);
}
