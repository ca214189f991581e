using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Grains.Abstractions.Clients;
using PermissionLayer.Grains.Abstractions.Principals;

namespace PermissionLayer.Server.Features.Admin;

/// <summary>Everything about one principal, from its grains.</summary>
public sealed partial class AdminGrpcService
{
    public override async Task<PrincipalDescription> DescribePrincipal(DescribePrincipalRequest request, ServerCallContext context)
    {
        RequirePrincipal(request.Principal, "principal");
        var principal = grains.GetGrain<IPrincipalGrain>(request.Principal);
        var memberships = await principal.Memberships();
        var description = new PrincipalDescription { Principal = request.Principal };
        description.Grants.AddRange((await principal.GetGrants()).Select(GrantMessages.ToWire));
        description.CareTeams.AddRange(memberships.CareTeams);
        description.Roles.AddRange(memberships.Roles.Select(r => new Contracts.V1.OrganizationRole
        {
            RoleId = r.RoleId, Organization = r.Organization ?? "", Active = r.Active,
            PeriodStart = r.PeriodStart is { } start ? Timestamp.FromDateTimeOffset(start) : null,
            PeriodEnd = r.PeriodEnd is { } end ? Timestamp.FromDateTimeOffset(end) : null,
        }));
        if (PrincipalRef.Parse(request.Principal) is { IsClient: true } client
            && await grains.GetGrain<IClientRegistrationGrain>(client.Id).Get() is { } registration)
        {
            description.ClientRegistration = ToWire(registration);
        }
        return description;
    }
}
