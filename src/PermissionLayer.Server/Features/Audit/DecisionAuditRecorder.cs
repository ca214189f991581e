using System.Diagnostics;
using PermissionLayer.Core.Audit;
using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Requests;
using PermissionLayer.Grains.Decisions;
using PermissionLayer.Server.Hosting;
using PermissionLayer.Storage;
using PermissionLayer.Storage.Audit;

namespace PermissionLayer.Server.Features.Audit;

/// <summary>
/// What the decision service calls once per decision: turns it into an audit row and hands it to
/// the writer. Durable: returns after the commit. Queued: returns once queued (waiting while the
/// queue is full). Either way a failing audit store fails the decision closed (UNAVAILABLE).
/// </summary>
public sealed class DecisionAuditRecorder(AuditLogWriter writer, PermissionLayerOptions options)
{
    private readonly AuditMode _mode = options.Audit.ModeValue;
    private readonly string _modeName = options.Audit.ModeValue.ToString().ToLowerInvariant();

    /// <summary>Records the decision and returns its id (the audit row's, returned to the PEP).</summary>
    public async Task<Guid> RecordAsync(DecisionRequest request, DecisionOutcome outcome, string caller, long startedTimestamp, CancellationToken cancellationToken)
    {
        var decisionId = DecisionIds.New();
        if (_mode != AuditMode.Off)
        {
            await WriteAsync(ToRecord(decisionId, request, outcome, caller, Stopwatch.GetElapsedTime(startedTimestamp)), cancellationToken);
        }
        return decisionId;
    }

    /// <summary>
    /// Records one StreamAccessiblePatients call, before its first page is sent: who asked for whose
    /// reach, and how far it reaches (the count, not the ids, which may be tens of thousands).
    /// </summary>
    /// <returns>The row's decision id (a new one, never written, when the audit is off).</returns>
    public async Task<Guid> RecordAccessiblePatientsAsync(
        TokenContext token, Interaction interaction, string resourceType, AccessiblePatients accessible, string caller, long startedTimestamp,
        CancellationToken cancellationToken)
    {
        if (_mode == AuditMode.Off)
        {
            return DecisionIds.New();
        }
        var record = AccessiblePatientsRecord.Of(token, interaction, resourceType, accessible, caller, Stopwatch.GetElapsedTime(startedTimestamp));
        await WriteAsync(record, cancellationToken);
        return record.DecisionId;
    }

    /// <summary>Records a row built elsewhere (a sync feed's opening or event batch), like a decision.</summary>
    public async Task RecordRowAsync(AuditedDecision record, CancellationToken cancellationToken)
    {
        if (_mode != AuditMode.Off)
        {
            await WriteAsync(record, cancellationToken);
        }
    }

    private async Task WriteAsync(AuditedDecision record, CancellationToken cancellationToken)
    {
        // While the store is failing, queued mode waits for the commit too: a decision is never
        // answered with a record that may not be written, and the first success re-opens the queue.
        using var span = Telemetry.DecisionTelemetry.StartAuditRecord(_modeName);
        var waitForCommit = _mode == AuditMode.Durable || !writer.IsAvailable;
        var committed = waitForCommit ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) : null;
        try
        {
            await writer.EnqueueAsync(new PendingAudit(record, committed), cancellationToken);
        }
        catch (System.Threading.Channels.ChannelClosedException e)
        {
            throw new StorageUnavailableException("the audit log is shutting down", e);
        }
        if (committed is not null)
        {
            await committed.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The audit row of one decision (internal: the benchmarks measure it).</summary>
    internal static AuditedDecision ToRecord(Guid decisionId, DecisionRequest request, DecisionOutcome outcome, string caller, TimeSpan latency)
    {
        var token = request.Token;
        var decision = outcome.Decision;
        return new AuditedDecision
        {
            DecisionId = decisionId,
            DecidedAt = AuditedDecision.ToStoredPrecision(DateTimeOffset.UtcNow),
            Caller = caller,
            ClientId = token.ClientId,
            FhirUser = token.FhirUser,
            UserOrganization = UserOrganizationOf(token, outcome),
            Patients = PatientsOf(request),
            Interaction = InteractionNames.ToName(request.Interaction),
            ResourceType = request.ResourceType,
            ResourceId = request.ResourceId,
            PurposeOfUse = token.PurposeOfUse,
            // Every emergency-access request is flagged for review, whether or not it lifted anything.
            BreakGlass = outcome.BreakGlass || (!string.IsNullOrEmpty(token.BreakGlassReason) && token.PurposeOfUse is "BTG" or "ETREAT"),
            BreakGlassReason = token.BreakGlassReason,
            Jti = token.Jti,
            Outcome = decision.Outcome == Outcome.Permit ? "permit" : "deny",
            DecidingTerm = decision.DecidingDeny is { } deny ? AuditTermNames.Of(deny.Term) : null,
            ReasonsJson = AuditReasonsJson.Of(decision.Reasons),
            Consents = ConsentsOf(decision.Reasons),
            Revision = outcome.Revision,
            LatencyMicroseconds = (long)latency.TotalMicroseconds,
        };
    }

    /// <summary>
    /// The user's organization: the one the FHIR server says the user acts for (the first Organization
    /// in the token's affiliations), else the first the service knows from an imported PractitionerRole
    /// (known only when the decision got as far as the consent term). None for a system token.
    /// </summary>
    private static string? UserOrganizationOf(TokenContext token, DecisionOutcome outcome) =>
        token.FhirUser is null ? null : AffiliatedOrganization(token) ?? outcome.Privacy?.UserOrganizations.FirstOrDefault();

    /// <summary>The organization the FHIR server says the user acts for: the first Organization of the token's affiliations.</summary>
    internal static string? AffiliatedOrganization(TokenContext token) =>
        token.FhirUser is null ? null : token.UserAffiliations.FirstOrDefault(a => a.StartsWith("Organization/", StringComparison.Ordinal));

    /// <summary>The touched compartments, or the patient named by the request itself (a Patient read, a patient launch).</summary>
    private static IReadOnlyList<string> PatientsOf(DecisionRequest request)
    {
        var touched = request.TouchedPatients; // a new list at every call: no copy needed
        if (touched.Count > 0)
        {
            return touched;
        }
        if (request.ResourceType == "Patient" && request.ResourceId is { } id)
        {
            return [id];
        }
        return request.Token.LaunchPatient is { } launch ? [launch] : [];
    }

    /// <summary>The consents the consent term cited, each once, in the order cited.</summary>
    private static List<string> ConsentsOf(IReadOnlyList<DecisionReason> reasons)
    {
        var consents = new List<string>();
        foreach (var reason in reasons)
        {
            if (reason.Term == DecisionTerm.Consent && reason.Source is { } source && !consents.Contains(source))
            {
                consents.Add(source);
            }
        }
        return consents;
    }
}
