using PermissionLayer.Core.Entitlements;

namespace PermissionLayer.Storage.Grants;

internal static class GrantMapping
{
    public static Grant ToGrant(GrantRow row) => new()
    {
        Id = row.Id,
        Principal = row.Principal,
        Target = GrantTarget.TryParse(row.Target, out var target)
            ? target
            : throw new InvalidDataException($"grant {row.Id} has invalid target '{row.Target}' in storage"),
        Actions = ActionLetters.TryParse(row.Actions, out var actions)
            ? actions
            : throw new InvalidDataException($"grant {row.Id} has invalid actions '{row.Actions}' in storage"),
        ResourceTypes = row.ResourceTypes,
        Purposes = row.Purposes,
        Clearance = row.Clearance,
        SensitivityCategories = row.SensitivityCategories,
        BreakGlass = row.BreakGlass,
        ValidFrom = row.ValidFrom,
        ValidUntil = row.ValidUntil,
        Reason = row.Reason,
        GrantedBy = row.GrantedBy,
        Revision = row.Revision,
        RevokedAt = row.RevokedAt,
    };

    public static GrantRow ToRow(Grant grant) => new()
    {
        Id = grant.Id,
        Principal = grant.Principal,
        Target = grant.Target.ToString(),
        Actions = grant.Actions.ToLetters(),
        ResourceTypes = [.. grant.ResourceTypes],
        Purposes = [.. grant.Purposes],
        Clearance = grant.Clearance,
        SensitivityCategories = [.. grant.SensitivityCategories],
        BreakGlass = grant.BreakGlass,
        ValidFrom = grant.ValidFrom,
        ValidUntil = grant.ValidUntil,
        Reason = grant.Reason,
        GrantedBy = grant.GrantedBy,
        Revision = grant.Revision,
        RevokedAt = grant.RevokedAt,
    };

    /// <summary>The grant as the change log shows it (letters, not flags).</summary>
    public static object ToChangeView(Grant grant) => new
    {
        grant.Id,
        grant.Principal,
        Target = grant.Target.ToString(),
        Actions = grant.Actions.ToLetters(),
        grant.ResourceTypes,
        grant.Purposes,
        grant.Clearance,
        grant.SensitivityCategories,
        grant.BreakGlass,
        grant.ValidFrom,
        grant.ValidUntil,
    };
}
