using System.Diagnostics;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Core.References;
using PermissionLayer.Grains.Decisions;
using PermissionLayer.Server.Features.Audit;
using PermissionLayer.Server.Features.Authentication;
using PermissionLayer.Server.Features.Errors;
using PermissionLayer.Server.Features.Telemetry;
using PermissionLayer.Server.Hosting;
using PermissionLayer.Storage.ApiKeys;

namespace PermissionLayer.Server.Features.Decisions;

/// <summary>The decision API for FHIR servers (protos/permissionlayer/v1/decision.proto).</summary>
[Authorize(Roles = CallerRoles.Pep)]
public sealed class DecisionGrpcService(
    DecisionEvaluator evaluator, DecisionAuditRecorder audit, PermissionLayerOptions options, PatientReferenceResolver patients,
    Sync.AccessibleFeedService feeds, RevocableCalls calls, DecisionTelemetry telemetry, ILogger<DecisionGrpcService> logger) : DecisionService.DecisionServiceBase
{
    public override async Task<CheckResponse> Check(CheckRequest request, ServerCallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        using var span = DecisionTelemetry.StartDecision(DecisionRpcs.Check);
        try
        {
            var decisionRequest = CheckRequestMapping.ToDecisionRequest(request, patients);
            return await DecideAsync(DecisionRpcs.Check, span, decisionRequest, CallerIdentity.Of(context), started, context.CancellationToken);
        }
        catch (Exception e) when (telemetry.Failed(span, DecisionRpcs.Check, e, started))
        {
            throw; // never reached: Failed only counts the failure
        }
    }

    /// <summary>One decision: its grain reads, its audit record, its count and its span's attributes.</summary>
    private async Task<CheckResponse> DecideAsync(
        string rpc, System.Diagnostics.Activity? span, Core.Requests.DecisionRequest decisionRequest, string caller, long started, CancellationToken cancellationToken)
    {
        DecisionOutcome outcome;
        using (DecisionTelemetry.StartEvaluation())
        {
            outcome = await evaluator.DecideAsync(decisionRequest, cancellationToken);
        }
        var decisionId = await audit.RecordAsync(decisionRequest, outcome, caller, started, cancellationToken);
        telemetry.Decided(span, rpc, decisionRequest.Interaction, outcome.Decision, outcome.Revision, decisionId, started);
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
        using var batchSpan = DecisionTelemetry.StartBatch();
        var results = await Task.WhenAll(request.Entries.Select(async (entry, index) =>
        {
            var started = Stopwatch.GetTimestamp();
            using var span = DecisionTelemetry.StartDecision(DecisionRpcs.CheckBatch);
            try
            {
                Limits.RequestLimits.Enforce(entry); // the interceptor left the entries to their own errors
                var decisionRequest = CheckRequestMapping.ToDecisionRequest(entry, patients);
                return new CheckBatchResult
                {
                    Decision = await DecideAsync(DecisionRpcs.CheckBatch, span, decisionRequest, caller, started, context.CancellationToken),
                };
            }
            catch (Exception e) when (e is not OperationCanceledException && !telemetry.Failed(span, DecisionRpcs.CheckBatch, e, started))
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
        using var span = DecisionTelemetry.StartDecision(DecisionRpcs.StreamAccessiblePatients);
        Core.Decisions.AccessiblePatients accessible;
        try
        {
            using (DecisionTelemetry.StartEvaluation())
            {
                accessible = await evaluator.AccessiblePatientsAsync(token, interaction, resourceType, context.CancellationToken);
            }
            // Audited like a decision, before the first page leaves (durable: after the commit).
            var decisionId = await audit.RecordAccessiblePatientsAsync(
                token, interaction, resourceType, accessible, CallerIdentity.Of(context), started, context.CancellationToken);
            // Counted as the audit records it: a permit when it reaches anyone, else a deny by the request term.
            var reaches = accessible.AllPatients || accessible.Patients.Count > 0;
            telemetry.Decided(span, DecisionRpcs.StreamAccessiblePatients, Core.Requests.InteractionNames.ToName(interaction), reaches ? "permit" : "deny", reaches ? "none" : "request",
                accessible.Revision, decisionId, started);
        }
        catch (Exception e) when (telemetry.Failed(span, DecisionRpcs.StreamAccessiblePatients, e, started))
        {
            throw; // never reached: Failed only counts the failure
        }
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
