using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Core.References;
using PermissionLayer.Core.Requests;
using PermissionLayer.Fhir.Audit;
using PermissionLayer.Storage.ApiKeys;
using PermissionLayer.Storage.Audit;

namespace PermissionLayer.Server.Features.Audit;

/// <summary>The audit log for privacy officers (protos/permissionlayer/v1/audit.proto).</summary>
[Authorize(Roles = CallerRoles.Auditor)]
public sealed class AuditGrpcService(DecisionLog decisions, AdminChangeLog adminChanges, ChainVerifier verifier) : AuditService.AuditServiceBase
{
    public override async Task QueryDecisions(DecisionQuery request, IServerStreamWriter<DecisionRecord> responseStream, ServerCallContext context)
    {
        await foreach (var stored in decisions.QueryAsync(AuditMessages.ToFilter(request), context.CancellationToken))
        {
            await responseStream.WriteAsync(AuditMessages.ToWire(stored), context.CancellationToken);
        }
    }

    public override async Task PatientAccessReport(PatientAccessReportRequest request, IServerStreamWriter<PatientAccessEntry> responseStream, ServerCallContext context)
    {
        if (!FhirReference.IsId(request.Patient))
        {
            throw new RequestValidationException("patient", $"'{request.Patient}' is not a FHIR id (give the id without \"Patient/\")");
        }
        var query = new DecisionQuery { Patient = request.Patient, From = request.From, To = request.To, Cursor = request.Cursor, Limit = request.Limit };
        await foreach (var stored in decisions.QueryAsync(AuditMessages.ToFilter(query), context.CancellationToken))
        {
            await responseStream.WriteAsync(AuditMessages.ToAccessEntry(stored), context.CancellationToken);
        }
    }

    public override async Task ExportAuditEvents(DecisionQuery request, IServerStreamWriter<AuditEventLine> responseStream, ServerCallContext context)
    {
        await foreach (var stored in decisions.QueryAsync(AuditMessages.ToFilter(request), context.CancellationToken))
        {
            await responseStream.WriteAsync(new AuditEventLine
            {
                Json = AuditEventMapping.ToJsonLine(stored.Decision),
                Cursor = AuditMessages.CursorOf(stored),
            }, context.CancellationToken);
        }
    }

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

    public override async Task QueryAdminChanges(AdminChangeQuery request, IServerStreamWriter<AdminChangeEntry> responseStream, ServerCallContext context)
    {
        await foreach (var change in adminChanges.QueryAsync(AuditMessages.ToFilter(request), context.CancellationToken))
        {
            await responseStream.WriteAsync(AuditMessages.ToWire(change), context.CancellationToken);
        }
    }
}
