using System.Text.Json;
using PermissionLayer.Core.Audit;
using PermissionLayer.Core.Requests;
using PermissionLayer.Core.Decisions;

namespace PermissionLayer.Server.Features.Audit;

/// <summary>
/// The audit row of a StreamAccessiblePatients call. It is a disclosure of which patients a token
/// reaches, so it is recorded like a decision: a permit when it reaches anyone, a deny (by the
/// request term) when it reaches nobody; the reason says how many, or all patients.
/// </summary>
internal static class AccessiblePatientsRecord
{
    /// <summary>The reason code of these rows, so queries can tell them from the decisions of searches.</summary>
    public const string Code = "accessible-patients";

    public static AuditedDecision Of(TokenContext token, Interaction interaction, string resourceType, AccessiblePatients accessible, string caller, TimeSpan latency)
    {
        var reaches = accessible.AllPatients || accessible.Patients.Count > 0;
        var message = accessible.AllPatients
            ? $"all patients are reachable for {interaction.ToName()} on {resourceType}"
            : $"{accessible.Patients.Count} patient(s) are reachable for {interaction.ToName()} on {resourceType}";
        if (accessible.Withheld.Count > 0)
        {
            message += $"; {accessible.Withheld.Count} more withheld by their consent";
        }
        return new AuditedDecision
        {
            DecisionId = DecisionIds.New(),
            DecidedAt = AuditedDecision.ToStoredPrecision(DateTimeOffset.UtcNow),
            Caller = caller,
            ClientId = token.ClientId,
            FhirUser = token.FhirUser,
            UserOrganization = DecisionAuditRecorder.AffiliatedOrganization(token),
            Interaction = interaction.ToName(),
            ResourceType = resourceType,
            PurposeOfUse = token.PurposeOfUse,
            Jti = token.Jti,
            Outcome = reaches ? "permit" : "deny",
            DecidingTerm = reaches ? null : "request",
            ReasonsJson = JsonSerializer.Serialize(new[]
            {
                new { term = "request", outcome = reaches ? "permit" : "deny", code = Code, message, source = (string?)null },
            }),
            Revision = accessible.Revision,
            LatencyMicroseconds = (long)latency.TotalMicroseconds,
        };
    }
}
