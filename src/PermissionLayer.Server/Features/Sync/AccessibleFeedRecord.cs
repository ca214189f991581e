using System.Text.Json;
using PermissionLayer.Core.Audit;
using PermissionLayer.Core.Requests;
using PermissionLayer.Server.Features.Audit;

namespace PermissionLayer.Server.Features.Sync;

/// <summary>
/// The audit rows of a WatchAccessiblePatients feed, recorded like a StreamAccessiblePatients call:
/// one when it opens (who, which client, from which revision, how far it reaches) and one per event
/// batch sent (the patients that entered and left).
/// </summary>
internal static class AccessibleFeedRecord
{
    public const string OpenCode = "accessible-feed";
    public const string BatchCode = "accessible-feed.changes";

    public static AuditedDecision Opened(
        TokenContext token, Interaction interaction, string resourceType, long afterRevision, long revision, string how, int patients, bool all, string caller, TimeSpan latency) =>
        Row(token, interaction, resourceType, caller, latency, revision, [], all || patients > 0, OpenCode,
            $"feed opened after revision {afterRevision} ({how}): " +
            (all ? $"all patients are reachable for {interaction.ToName()} on {resourceType}" : $"{patients} patient(s) are reachable for {interaction.ToName()} on {resourceType}"));

    public static AuditedDecision Batch(
        TokenContext token, Interaction interaction, string resourceType, long revision, IReadOnlyList<string> entered, IReadOnlyList<string> left, string caller, TimeSpan latency) =>
        Row(token, interaction, resourceType, caller, latency, revision, [.. entered.Concat(left)], entered.Count > 0, BatchCode,
            $"{entered.Count} patient(s) entered, {left.Count} left at revision {revision}");

    private static AuditedDecision Row(
        TokenContext token, Interaction interaction, string resourceType, string caller, TimeSpan latency, long revision, IReadOnlyList<string> patients,
        bool permit, string code, string message) => new()
    {
        DecisionId = DecisionIds.New(),
        DecidedAt = AuditedDecision.ToStoredPrecision(DateTimeOffset.UtcNow),
        Caller = caller,
        ClientId = token.ClientId,
        FhirUser = token.FhirUser,
        UserOrganization = DecisionAuditRecorder.AffiliatedOrganization(token),
        Patients = patients,
        Interaction = interaction.ToName(),
        ResourceType = resourceType,
        PurposeOfUse = token.PurposeOfUse,
        Jti = token.Jti,
        Outcome = permit ? "permit" : "deny",
        DecidingTerm = permit ? null : "request",
        ReasonsJson = JsonSerializer.Serialize(new[]
        {
            new { term = "request", outcome = permit ? "permit" : "deny", code, message, source = (string?)null },
        }),
        Revision = revision,
        LatencyMicroseconds = (long)latency.TotalMicroseconds,
    };
}
