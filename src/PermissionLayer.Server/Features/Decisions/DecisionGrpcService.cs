using System.Diagnostics;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Core.References;
using PermissionLayer.Grains.Decisions;
using PermissionLayer.Server.Features.Audit;
using PermissionLayer.Server.Features.Authentication;
using PermissionLayer.Server.Features.Errors;
using PermissionLayer.Server.Hosting;
using PermissionLayer.Storage.ApiKeys;

namespace PermissionLayer.Server.Features.Decisions;

/// <summary>The decision API for FHIR servers (protos/permissionlayer/v1/decision.proto).</summary>
[Authorize(Roles = CallerRoles.Pep)]
public sealed class DecisionGrpcService(
    DecisionEvaluator evaluator, DecisionAuditRecorder audit, PermissionLayerOptions options, PatientReferenceResolver patients,
    Sync.AccessibleFeedService feeds, RevocableCalls calls, ILogger<DecisionGrpcService> logger) : DecisionService.DecisionServiceBase
{
    public override async Task<CheckResponse> Check(CheckRequest request, ServerCallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var decisionRequest = CheckRequestMapping.ToDecisionRequest(request, patients);
        var outcome = await evaluator.DecideAsync(decisionRequest, context.CancellationToken);
        var decisionId = await audit.RecordAsync(decisionRequest, outcome, CallerIdentity.Of(context), started, context.CancellationToken);
        return CheckResponseMapping.ToResponse(outcome, decisionId);
    }

    public override async Task<CheckBatchResponse> CheckBatch(CheckBatchRequest request, ServerCallContext context)
    {
        var limit = options.Decision.MaxBatchEntries;
        if (request.Entries.Count > limit)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted,
                $"entries: {request.Entries.Count} entries exceed the limit of {limit} (PermissionLayer:Decision:MaxBatchEntries)"));
        }
        // Entries are independent: decide them concurrently; each failure stays with its entry.
        // Each entry is its own decision and its own audit row; they share the writer's group commit.
        var caller = CallerIdentity.Of(context);
        var results = await Task.WhenAll(request.Entries.Select(async (entry, index) =>
        {
            try
            {
                var started = Stopwatch.GetTimestamp();
                Limits.RequestLimits.Enforce(entry); // the interceptor left the entries to their own errors
                var decisionRequest = CheckRequestMapping.ToDecisionRequest(entry, patients);
                var outcome = await evaluator.DecideAsync(decisionRequest, context.CancellationToken);
                var decisionId = await audit.RecordAsync(decisionRequest, outcome, caller, started, context.CancellationToken);
                return new CheckBatchResult { Decision = CheckResponseMapping.ToResponse(outcome, decisionId) };
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var status = ErrorStatus.Of(e);
                if (status.StatusCode is StatusCode.Internal or StatusCode.Unavailable)
                {
                    logger.LogError(e, "CheckBatch entry {Index} failed with {Status}", index, status.StatusCode);
                }
                return new CheckBatchResult { Error = new EntryError { Code = status.StatusCode.ToString(), Message = $"entries[{index}]: {status.Detail}" } };
            }
        }));
        var response = new CheckBatchResponse();
        response.Results.AddRange(results);
        return response;
    }

    public override async Task StreamAccessiblePatients(
        AccessiblePatientsRequest request, IServerStreamWriter<AccessiblePatientsPage> responseStream, ServerCallContext context)
    {
        var pageSize = request.PageSize switch
        {
            0 => 1000,
            < 0 or > 10_000 => throw new Core.Requests.RequestValidationException("page_size", "must be between 1 and 10000"),
            _ => request.PageSize,
        };
        var token = CheckRequestMapping.ToTokenContext(request.Token);
        var interaction = request.Interaction == Interaction.Unspecified
            ? Core.Requests.Interaction.SearchType
            : CheckRequestMapping.ToInteraction(request.Interaction);
        var started = Stopwatch.GetTimestamp();
        // Spelt as Check requires: a type that is no FHIR type would match no consent's class.
        var resourceType = CheckRequestMapping.ResourceType(request.ResourceType);
        var accessible = await evaluator.AccessiblePatientsAsync(token, interaction, resourceType, context.CancellationToken);
        // Audited like a decision, before the first page leaves (durable: after the commit).
        await audit.RecordAccessiblePatientsAsync(token, interaction, resourceType, accessible, CallerIdentity.Of(context), started, context.CancellationToken);
        // A million patients are many pages: the stream ends if its key is revoked meanwhile.
        await calls.RunAsync(context, async live =>
        {
            await foreach (var page in AccessiblePatientPages.Of(accessible, request.Cursor, pageSize).WithCancellation(live))
            {
                await responseStream.WriteAsync(page, live);
            }
        });
    }

    /// <summary>The offline-sync feed of the same set (README "Offline sync").</summary>
    public override Task WatchAccessiblePatients(
        WatchAccessiblePatientsRequest request, IServerStreamWriter<AccessibleChange> responseStream, ServerCallContext context) =>
        feeds.RunAsync(request, responseStream, context);

    public override Task<PingResponse> Ping(PingRequest request, ServerCallContext context) =>
        Task.FromResult(new PingResponse());
}
