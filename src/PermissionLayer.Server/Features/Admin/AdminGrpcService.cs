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
using PermissionLayer.Grains.Batches;
using PermissionLayer.Grains.Revisions;
using PermissionLayer.Storage.Access;
using PermissionLayer.Storage.ApiKeys;
using PermissionLayer.Storage.Changes;
using PermissionLayer.Storage.Imports;

namespace PermissionLayer.Server.Features.Admin;

/// <summary>
/// Entitlement management (protos/permissionlayer/v1/admin.proto). Writes go through the owning
/// grain, whose store records the change (actor, reason, before, after) in entitlement_changes in
/// the same transaction: the admin change log cannot miss a committed write.
/// </summary>
[Authorize(Roles = CallerRoles.Admin)]
public sealed partial class AdminGrpcService(
    IGrainFactory grains, PatientAccessQuery accessQuery, EntitlementChangeReader changeReader, ImportStore importStore, AdminBatch batch,
    RevisionClock revisions, RevisionSync sync, AfterCommitHook afterCommit, RevocableCalls calls)
    : AdminService.AdminServiceBase
{
    public override async Task<CreateGrantResponse> CreateGrant(CreateGrantRequest request, ServerCallContext context)
    {
        var (principal, draft) = DraftOf(request, context);
        var created = await grains.GetGrain<IPrincipalGrain>(principal).CreateGrant(draft);
        return new CreateGrantResponse { Grant = GrantMessages.ToWire(created), Revision = created.Revision };
    }

    private static (string Principal, GrantDraft Draft) DraftOf(CreateGrantRequest request, ServerCallContext context)
    {
        var grant = request.Grant ?? throw new RequestValidationException("grant", "is required");
        RequirePrincipal(grant.Principal, "grant.principal");
        return (grant.Principal, new GrantDraft(
            grant.Target, grant.Actions, [.. grant.ResourceTypes], [.. grant.Purposes],
            grant.ValidFrom?.ToDateTimeOffset(), grant.ValidUntil?.ToDateTimeOffset(),
            grant.Reason, Actor(context),
            string.IsNullOrEmpty(grant.Clearance) ? null : grant.Clearance, [.. grant.SensitivityCategories], grant.BreakGlass,
            request.HasExpectedRevision ? request.ExpectedRevision : null));
    }

    public override async Task<RevokeGrantResponse> RevokeGrant(RevokeGrantRequest request, ServerCallContext context)
    {
        var grantId = GrantIdOf(request);
        var revision = await grains.GetGrain<IPrincipalGrain>(request.Principal).RevokeGrant(
            grantId, Actor(context), request.Reason, request.HasExpectedRevision ? request.ExpectedRevision : null);
        return new RevokeGrantResponse { Revision = revision };
    }

    private static Guid GrantIdOf(RevokeGrantRequest request)
    {
        if (!Guid.TryParse(request.GrantId, out var grantId))
        {
            throw new RequestValidationException("grant_id", $"'{request.GrantId}' is not a grant id");
        }
        RequirePrincipal(request.Principal, "principal");
        return grantId;
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
        RequireId(request.GroupId, "group_id");
        var revision = await grains.GetGrain<IGroupGrain>(PatientSets.GroupKey(request.GroupId))
            .ChangeMembers(MembersChange(request.Upsert, request.Remove, request.Reason, context,
                request.HasExpectedRevision ? request.ExpectedRevision : null));
        return new ChangeGroupMembersResponse { Revision = revision };
    }

    public override async Task<ChangeOrganizationPatientsResponse> ChangeOrganizationPatients(
        ChangeOrganizationPatientsRequest request, ServerCallContext context)
    {
        RequireId(request.OrganizationId, "organization_id");
        var revision = await grains.GetGrain<IGroupGrain>(PatientSets.OrganizationKey(request.OrganizationId))
            .ChangeMembers(MembersChange(request.Upsert, request.Remove, request.Reason, context,
                request.HasExpectedRevision ? request.ExpectedRevision : null));
        return new ChangeOrganizationPatientsResponse { Revision = revision };
    }

    private static GroupMembersChange MembersChange(
        IEnumerable<Contracts.V1.GroupMember> upserts, IEnumerable<string> removals, string reason, ServerCallContext context, long? expectedRevision) =>
        new([.. upserts.Select(m => new Grains.Abstractions.Groups.GroupMember(m.PatientId, m.PeriodStart?.ToDateTimeOffset(), m.PeriodEnd?.ToDateTimeOffset()))],
            [.. removals], Actor(context), reason, expectedRevision);

    private static void RequireId(string id, string field)
    {
        if (!FhirReference.IsId(id))
        {
            throw new RequestValidationException(field, $"'{id}' is not a FHIR id");
        }
    }

    public override async Task<PutCareTeamResponse> PutCareTeam(PutCareTeamRequest request, ServerCallContext context)
    {
        RequireId(request.CareTeamId, "care_team_id");
        var definition = new CareTeamDefinition(
            request.SubjectPatientId, request.Status, request.PeriodStart?.ToDateTimeOffset(), request.PeriodEnd?.ToDateTimeOffset(),
            Participations(request), Actor(context), request.Reason,
            ExpectedRevision: request.HasExpectedRevision ? request.ExpectedRevision : null);
        var revision = await grains.GetGrain<ICareTeamGrain>(request.CareTeamId).Put(definition);
        return new PutCareTeamResponse { Revision = revision };
    }

    /// <summary>
    /// <c>participants</c> take part for as long as the team; <c>participant_periods</c> for their own
    /// periods. A member in both is ambiguous (open-ended or not?) and rejected rather than guessed.
    /// </summary>
    private static IReadOnlyList<CareTeamParticipation> Participations(PutCareTeamRequest request)
    {
        var open = request.Participants.ToHashSet(StringComparer.Ordinal);
        if (request.ParticipantPeriods.FirstOrDefault(p => open.Contains(p.Member)) is { } both)
        {
            throw new RequestValidationException("participant_periods", $"'{both.Member}' is also in participants; name each member in one of them");
        }
        return
        [
            .. request.Participants.Select(member => new CareTeamParticipation(member)),
            .. request.ParticipantPeriods.Select(p => new CareTeamParticipation(p.Member, p.PeriodStart?.ToDateTimeOffset(), p.PeriodEnd?.ToDateTimeOffset())),
        ];
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
