using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Grains.Decisions;
using PermissionLayer.Storage.ApiKeys;

namespace PermissionLayer.Server.Features.Decisions;

/// <summary>The decision API for FHIR servers (protos/permissionlayer/v1/decision.proto).</summary>
[Authorize(Roles = CallerRoles.Pep)]
public sealed class DecisionGrpcService(DecisionEvaluator evaluator) : DecisionService.DecisionServiceBase
{
    public override async Task<CheckResponse> Check(CheckRequest request, ServerCallContext context)
    {
        var decisionRequest = CheckRequestMapping.ToDecisionRequest(request);
        var outcome = await evaluator.DecideAsync(decisionRequest, context.CancellationToken);
        return CheckResponseMapping.ToResponse(outcome, Guid.CreateVersion7());
    }

    public override Task<PingResponse> Ping(PingRequest request, ServerCallContext context) =>
        Task.FromResult(new PingResponse());
}
