using Google.Protobuf.WellKnownTypes;
using PermissionLayer.Grains.Abstractions.Principals;
using WireGrant = PermissionLayer.Contracts.V1.Grant;

namespace PermissionLayer.Server.Features.Admin;

internal static class GrantMessages
{
    public static WireGrant ToWire(GrantView grant)
    {
        var wire = new WireGrant
        {
            Id = grant.Id.ToString(),
            Principal = grant.Principal,
            Target = grant.Target,
            Actions = grant.Actions,
            ValidFrom = Timestamp.FromDateTimeOffset(grant.ValidFrom),
            ValidUntil = grant.ValidUntil is { } until ? Timestamp.FromDateTimeOffset(until) : null,
            Reason = grant.Reason,
            GrantedBy = grant.GrantedBy,
            Revision = grant.Revision,
            RevokedAt = grant.RevokedAt is { } revoked ? Timestamp.FromDateTimeOffset(revoked) : null,
        };
        wire.ResourceTypes.AddRange(grant.ResourceTypes);
        wire.Purposes.AddRange(grant.Purposes);
        wire.Clearance = grant.Clearance ?? "";
        wire.SensitivityCategories.AddRange(grant.SensitivityCategories ?? []);
        wire.BreakGlass = grant.BreakGlass;
        return wire;
    }
}
