using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Core.Requests;
using PermissionLayer.Core.References;
using PermissionLayer.Grains.Abstractions.Groups;
using PermissionLayer.Grains.Abstractions.CareTeams;
using PermissionLayer.Grains.Abstractions.Principals;
using PermissionLayer.Server.Features.Authentication;
using PermissionLayer.Storage.ApiKeys;
using PermissionLayer.Storage.Audit;

namespace PermissionLayer.Server.Features.Admin;

/// <summary>
/// Entitlement management (protos/permissionlayer/v1/admin.proto). Writes go through the owning
/// grain; after each write commits, one <see cref="IAdminChangeRecorder"/> call records it with
/// actor, reason, before and after.
/// </summary>
[Authorize(Roles = CallerRoles.Admin)]
public sealed class AdminGrpcService(IGrainFactory grains, IAdminChangeRecorder changes) : AdminService.AdminServiceBase
{
    public override async Task<CreateGrantResponse> CreateGrant(CreateGrantRequest request, ServerCallContext context)
    {
        var grant = request.Grant ?? throw new RequestValidationException("grant", "is required");
        RequirePrincipal(grant.Principal, "grant.principal");
        var draft = new GrantDraft(
            grant.Target, grant.Actions, [.. grant.ResourceTypes], [.. grant.Purposes],
            grant.ValidFrom?.ToDateTimeOffset(), grant.ValidUntil?.ToDateTimeOffset(),
            grant.Reason, Actor(context));
        var created = await grains.GetGrain<IPrincipalGrain>(grant.Principal).CreateGrant(draft);
        await changes.RecordAsync(nameof(CreateGrant), grant.Principal, draft.GrantedBy, grant.Reason, null, created, context.CancellationToken);
        return new CreateGrantResponse { Grant = GrantMessages.ToWire(created), Revision = created.Revision };
    }

    public override async Task<RevokeGrantResponse> RevokeGrant(RevokeGrantRequest request, ServerCallContext context)
    {
        if (!Guid.TryParse(request.GrantId, out var grantId))
        {
            throw new RequestValidationException("grant_id", $"'{request.GrantId}' is not a grant id");
        }
        RequirePrincipal(request.Principal, "principal");
        var principal = grains.GetGrain<IPrincipalGrain>(request.Principal);
        var before = (await principal.GetGrants()).FirstOrDefault(g => g.Id == grantId);
        var revision = await principal.RevokeGrant(grantId, Actor(context), request.Reason);
        await changes.RecordAsync(nameof(RevokeGrant), request.Principal, Actor(context), request.Reason, before,
            new { grantId, revoked = true, revision }, context.CancellationToken);
        return new RevokeGrantResponse { Revision = revision };
    }

    public override async Task<ListGrantsResponse> ListGrants(ListGrantsRequest request, ServerCallContext context)
    {
        RequirePrincipal(request.Principal, "principal");
        var grants = await grains.GetGrain<IPrincipalGrain>(request.Principal).GetGrants();
        var response = new ListGrantsResponse();
        response.Grants.AddRange(grants.Select(GrantMessages.ToWire));
        return response;
    }

    public override async Task<ChangeGroupMembersResponse> ChangeGroupMembers(ChangeGroupMembersRequest request, ServerCallContext context)
    {
        if (!FhirReference.IsId(request.GroupId))
        {
            throw new RequestValidationException("group_id", $"'{request.GroupId}' is not a FHIR id");
        }
        var change = new GroupMembersChange(
            [.. request.Upsert.Select(m => new Grains.Abstractions.Groups.GroupMember(m.PatientId, m.PeriodStart?.ToDateTimeOffset(), m.PeriodEnd?.ToDateTimeOffset()))],
            [.. request.Remove], Actor(context), request.Reason);
        var group = grains.GetGrain<IGroupGrain>(request.GroupId);
        var before = await group.Members(DateTimeOffset.UtcNow);
        var revision = await group.ChangeMembers(change);
        await changes.RecordAsync(nameof(ChangeGroupMembers), $"Group/{request.GroupId}", change.Actor, request.Reason,
            new { members = before }, new { upsert = change.Upserts, remove = change.Removals, revision }, context.CancellationToken);
        return new ChangeGroupMembersResponse { Revision = revision };
    }

    public override async Task<PutCareTeamResponse> PutCareTeam(PutCareTeamRequest request, ServerCallContext context)
    {
        if (!FhirReference.IsId(request.CareTeamId))
        {
            throw new RequestValidationException("care_team_id", $"'{request.CareTeamId}' is not a FHIR id");
        }
        var definition = new CareTeamDefinition(
            request.SubjectPatientId, request.Status, request.PeriodStart?.ToDateTimeOffset(), request.PeriodEnd?.ToDateTimeOffset(),
            [.. request.Participants], Actor(context), request.Reason);
        var careTeam = grains.GetGrain<ICareTeamGrain>(request.CareTeamId);
        var before = await careTeam.Get();
        var revision = await careTeam.Put(definition);
        await changes.RecordAsync(nameof(PutCareTeam), $"CareTeam/{request.CareTeamId}", definition.Actor, request.Reason,
            before, definition, context.CancellationToken);
        return new PutCareTeamResponse { Revision = revision };
    }

    private static void RequirePrincipal(string principal, string field)
    {
        if (Principal.Validate(principal) is { } error)
        {
            throw new RequestValidationException(field, error);
        }
    }

    private static string Actor(ServerCallContext context) => CallerIdentity.Of(context);
}
