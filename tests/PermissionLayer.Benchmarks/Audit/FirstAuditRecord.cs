using PermissionLayer.Core.Audit;
using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Requests;
using PermissionLayer.Grains.Decisions;
using PermissionLayer.Server.Features.Audit;
using PermissionLayer.Testing.Audit;

namespace PermissionLayer.Benchmarks.Audit;

/// <summary>
/// The recorder's audit row as it was first built (serializer, LINQ, formatted term names): the
/// baseline the current <see cref="DecisionAuditRecorder"/> is measured against.
/// </summary>
internal static class FirstAuditRecord
{
    public static AuditedDecision Of(Guid decisionId, DecisionRequest request, DecisionOutcome outcome, string caller, TimeSpan latency)
    {
        var token = request.Token;
        var decision = outcome.Decision;
        var patients = request.TouchedPatients.ToList();
        if (patients.Count == 0 && request.ResourceType == "Patient" && request.ResourceId is { } id)
        {
            patients.Add(id);
        }
        if (patients.Count == 0 && request.Token.LaunchPatient is { } launch)
        {
            patients.Add(launch);
        }
        return new AuditedDecision
        {
            DecisionId = decisionId,
            DecidedAt = AuditedDecision.ToStoredPrecision(DateTimeOffset.UtcNow),
            Caller = caller,
            ClientId = token.ClientId,
            FhirUser = token.FhirUser,
            // Unchanged since: shared with the recorder.
            UserOrganization = token.FhirUser is null ? null : DecisionAuditRecorder.AffiliatedOrganization(token) ?? outcome.Privacy?.UserOrganizations.FirstOrDefault(),
            Patients = patients,
            Interaction = InteractionNames.ToName(request.Interaction),
            ResourceType = request.ResourceType,
            ResourceId = request.ResourceId,
            PurposeOfUse = token.PurposeOfUse,
            BreakGlass = outcome.BreakGlass || (!string.IsNullOrEmpty(token.BreakGlassReason) && token.PurposeOfUse is "BTG" or "ETREAT"),
            BreakGlassReason = token.BreakGlassReason,
            Jti = token.Jti,
            Outcome = decision.Outcome == Outcome.Permit ? "permit" : "deny",
            DecidingTerm = decision.DecidingDeny?.Term.ToString().ToLowerInvariant(),
            ReasonsJson = ReferenceReasonsJson.Of(decision.Reasons),
            Consents = [.. decision.Reasons.Where(r => r.Term == DecisionTerm.Consent && r.Source is not null).Select(r => r.Source!).Distinct()],
            Revision = outcome.Revision,
            LatencyMicroseconds = (long)latency.TotalMicroseconds,
        };
    }
}
