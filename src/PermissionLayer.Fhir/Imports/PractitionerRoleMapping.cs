using Hl7.Fhir.Model;
using PermissionLayer.Core.Imports;

namespace PermissionLayer.Fhir.Imports;

/// <summary>Maps a FHIR PractitionerRole to the practitioner–organization link it records.</summary>
internal static class PractitionerRoleMapping
{
    public static ImportedPractitionerRole Map(PractitionerRole role, string id, ResourceScope scope)
    {
        var practitioner = ReferenceRules.Require(role.Practitioner, "PractitionerRole.practitioner", ReferenceRules.Practitioner, scope);
        var organization = role.Organization is null
            ? (string?)null
            : ReferenceRules.Require(role.Organization, "PractitionerRole.organization", ReferenceRules.Organization, scope).ToString();
        var (start, end) = PeriodBounds.Entitling(role.Period, "PractitionerRole.period", scope);
        return new ImportedPractitionerRole(
            id, role.Meta?.VersionId, role.Meta?.LastUpdated, practitioner.ToString(), organization, role.Active ?? true, start, end);
    }
}
