using PermissionLayer.Core.Entitlements;

namespace PermissionLayer.Grains.Abstractions.Groups;

/// <summary>
/// The sets of patients a grant can target, each held by one <see cref="IGroupGrain"/>: a FHIR
/// Group's members (keyed by the bare group id, as before organizations existed) and an
/// Organization's patients (keyed <c>Organization/&lt;id&gt;</c>; FHIR ids cannot contain '/', so the
/// two never collide). Both are "patients in a set during a period", with one store and one grain.
/// </summary>
public static class PatientSets
{
    private const string OrganizationPrefix = "Organization/";

    public static string GroupKey(string groupId) => groupId;

    public static string OrganizationKey(string organizationId) => OrganizationPrefix + organizationId;

    /// <summary>The grain key holding a set target's patients (a Group or an Organization).</summary>
    public static string KeyOf(GrantTarget set) => set switch
    {
        GrantTarget.Group group => GroupKey(group.Id),
        GrantTarget.Organization organization => OrganizationKey(organization.Id),
        _ => throw new ArgumentException($"{set} is not a patient set", nameof(set)),
    };
}
