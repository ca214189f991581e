using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Core.Audit;
using PermissionLayer.Core.References;
using PermissionLayer.Core.Requests;
using PermissionLayer.Fhir.Audit;
using PermissionLayer.Server.Features.Authentication;
using PermissionLayer.Storage.ApiKeys;
using PermissionLayer.Storage.Audit;

namespace PermissionLayer.Server.Features.Audit;

/// <summary>The audit log for privacy officers (protos/permissionlayer/v1/audit.proto).</summary>
[Authorize(Roles = CallerRoles.Auditor)]
public sealed class AuditGrpcService(
    DecisionLog decisions, AdminChangeLog adminChanges, ChainVerifier verifier, BreakGlassReviews reviews, TimeProvider time, RevocableCalls calls)
    : AuditService.AuditServiceBase
{
    public override Task QueryDecisions(DecisionQuery request, IServerStreamWriter<DecisionRecord> responseStream, ServerCallContext context) =>
        calls.RunAsync(context, async live =>
        {
            await foreach (var stored in decisions.QueryAsync(AuditMessages.ToFilter(request), live))
            {
                await responseStream.WriteAsync(AuditMessages.ToWire(stored), live);
            }
        });

    public override Task PatientAccessReport(PatientAccessReportRequest request, IServerStreamWriter<PatientAccessEntry> responseStream, ServerCallContext context)
    {
        if (!FhirReference.IsId(request.Patient))
        {
            throw new RequestValidationException("patient", $"'{request.Patient}' is not a FHIR id (give the id without \"Patient/\")");
        }
        var query = new DecisionQuery { Patient = request.Patient, From = request.From, To = request.To, Cursor = request.Cursor, Limit = request.Limit };
        return calls.RunAsync(context, async live =>
        {
            await foreach (var stored in decisions.QueryAsync(AuditMessages.ToFilter(query), live))
            {
                await responseStream.WriteAsync(AuditMessages.ToAccessEntry(stored), live);
            }
        });
    }

    public override Task ExportAuditEvents(DecisionQuery request, IServerStreamWriter<AuditEventLine> responseStream, ServerCallContext context) =>
        calls.RunAsync(context, async live =>
        {
            await foreach (var stored in decisions.QueryAsync(AuditMessages.ToFilter(request), live))
            {
                await responseStream.WriteAsync(new AuditEventLine
                {
                    Json = AuditEventMapping.ToJsonLine(stored.Decision),
                    Cursor = AuditMessages.CursorOf(stored),
                }, live);
            }
        });

    public override async Task<VerifyChainResponse> VerifyChain(VerifyChainRequest request, ServerCallContext context)
    {
        Guid? writerId = null;
        if (request.WriterId.Length > 0)
        {
            writerId = Guid.TryParse(request.WriterId, out var id) ? id : throw new RequestValidationException("writer_id", $"'{request.WriterId}' is not a writer id");
        }
        var verdicts = await verifier.VerifyAsync(writerId, context.CancellationToken);
        var response = new VerifyChainResponse { Intact = verdicts.All(v => v.Intact) };
        response.Chains.AddRange(verdicts.Select(v => new WriterChainVerdict
        {
            WriterId = v.WriterId.ToString(),
            RowsVerified = v.RowsVerified,
            Intact = v.Intact,
            BrokenAtSequence = v.BrokenAtSequence ?? 0,
            BrokenDecisionId = v.BrokenDecisionId?.ToString() ?? "",
            Problem = v.Problem ?? "",
        }));
        return response;
    }

    public override Task QueryAdminChanges(AdminChangeQuery request, IServerStreamWriter<AdminChangeEntry> responseStream, ServerCallContext context) =>
        calls.RunAsync(context, async live =>
        {
            await foreach (var change in adminChanges.QueryAsync(AuditMessages.ToFilter(request), live))
            {
                await responseStream.WriteAsync(AuditMessages.ToWire(change), live);
            }
        });

    public override Task PendingBreakGlassReviews(
        PendingBreakGlassQuery request, IServerStreamWriter<DecisionRecord> responseStream, ServerCallContext context)
    {
        var filter = AuditMessages.ToFilter(new DecisionQuery { Cursor = request.Cursor, Limit = request.Limit });
        return calls.RunAsync(context, async live =>
        {
            await foreach (var stored in reviews.PendingAsync(filter.After, filter.Limit, live))
            {
                await responseStream.WriteAsync(AuditMessages.ToWire(stored), live);
            }
        });
    }

    public override async Task<Contracts.V1.BreakGlassReview> ReviewBreakGlass(ReviewBreakGlassRequest request, ServerCallContext context)
    {
        var decisionId = Guid.TryParse(request.DecisionId, out var id)
            ? id
            : throw new RequestValidationException("decision_id", $"'{request.DecisionId}' is not a decision id");
        var justified = request.Verdict switch
        {
            BreakGlassVerdict.Justified => true,
            BreakGlassVerdict.Unjustified => false,
            _ => throw new RequestValidationException("verdict", "is required: BREAK_GLASS_VERDICT_JUSTIFIED or BREAK_GLASS_VERDICT_UNJUSTIFIED"),
        };
        if (string.IsNullOrWhiteSpace(request.Note))
        {
            throw new RequestValidationException("note", "is required: say why the access was or was not justified");
        }
        var (attempt, review) = await reviews.RecordAsync(
            decisionId, CallerIdentity.Of(context), justified, request.Note, AuditedDecision.ToStoredPrecision(time.GetUtcNow()), context.CancellationToken);
        return attempt switch
        {
            ReviewAttempt.Recorded => AuditMessages.ToWire(review!),
            ReviewAttempt.AlreadyReviewed => throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"decision {decisionId} has already been reviewed (a review is final; QueryBreakGlassReviews shows it)")),
            _ => throw new RpcException(new Status(StatusCode.NotFound, $"no break-the-glass decision {decisionId} is on record")),
        };
    }

    public override Task QueryBreakGlassReviews(
        BreakGlassReviewQuery request, IServerStreamWriter<Contracts.V1.BreakGlassReview> responseStream, ServerCallContext context) =>
        calls.RunAsync(context, async live =>
        {
            await foreach (var review in reviews.QueryAsync(AuditMessages.ToFilter(request), live))
            {
                await responseStream.WriteAsync(AuditMessages.ToWire(review), live);
            }
        });
}
