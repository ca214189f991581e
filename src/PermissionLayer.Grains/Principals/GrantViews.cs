using PermissionLayer.Core.Entitlements;
using PermissionLayer.Grains.Abstractions.Principals;

namespace PermissionLayer.Grains.Principals;

internal static class GrantViews
{
    public static GrantView ToView(this Grant grant) => new(
        grant.Id, grant.Principal, grant.Target.ToString(), grant.Actions.ToLetters(), grant.ResourceTypes, grant.Purposes,
        grant.ValidFrom, grant.ValidUntil, grant.Reason, grant.GrantedBy, grant.Revision, grant.RevokedAt,
        grant.Clearance, grant.SensitivityCategories, grant.BreakGlass);
}
