using System.Diagnostics;
using System.Diagnostics.Metrics;
using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Requests;
using PermissionLayer.Server.Features.Audit;

namespace PermissionLayer.Server.Features.Telemetry;

/// <summary>
/// What a decision reports: one count and one latency per decision, and the spans of a Check (the
/// decision, inside it the grain reads and the audit record). Cheap when nobody listens: a span that
/// is not sampled is never created, and a measurement carries only its labels (a stack-held
/// <see cref="System.Diagnostics.TagList"/> of constant strings).
/// </summary>
public sealed class DecisionTelemetry
{
    /// <summary>Static, as the runtime expects of an activity source: listeners subscribe by its name.</summary>
    internal static readonly ActivitySource Activities = new(TelemetryNames.Source);

    /// <summary>Decisions take from tens of microseconds (published state) to seconds (a storage outage).</summary>
    private static readonly double[] LatencyBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Counter<long> _decisions;
    private readonly Histogram<double> _duration;

    public DecisionTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(TelemetryNames.Source);
        _decisions = meter.CreateCounter<long>(TelemetryNames.Decisions, "{decision}",
            "Decisions made, by RPC, outcome, deciding term and interaction (each CheckBatch entry is one)");
        _duration = meter.CreateHistogram(TelemetryNames.DecisionDuration, "s",
            "Time from receiving a decision request to its answer, the audit record included", tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
    }

    /// <summary>The span of one decision (a Check, or one CheckBatch entry), or null when none is sampled.</summary>
    public static Activity? StartDecision(string rpc)
    {
        var span = Activities.StartActivity("decision." + rpc);
        span?.SetTag(TelemetryNames.Rpc, rpc);
        return span;
    }

    /// <summary>A CheckBatch's span: each entry's decision span is its child.</summary>
    public static Activity? StartBatch() => Activities.StartActivity("decision.CheckBatch.batch");

    /// <summary>The grain reads of one decision (entitlements, consent, labels).</summary>
    public static Activity? StartEvaluation() => Activities.StartActivity("decision.evaluate");

    /// <summary>Handing the decision to the audit writer, and in durable mode waiting for its commit.</summary>
    public static Activity? StartAuditRecord(string mode)
    {
        var span = Activities.StartActivity("audit.record");
        span?.SetTag(TelemetryNames.AuditMode, mode);
        return span;
    }

    /// <summary>A decision answered: counted, timed, and its id and outcome put on its span.</summary>
    public void Decided(Activity? span, string rpc, Interaction interaction, Decision decision, long revision, Guid decisionId, long startedTimestamp)
    {
        var outcome = decision.Outcome == Core.Decisions.Outcome.Permit ? "permit" : "deny";
        var term = decision.DecidingDeny is { } deny ? AuditTermNames.Of(deny.Term) : "none";
        Decided(span, rpc, interaction.ToName(), outcome, term, revision, decisionId, startedTimestamp);
    }

    /// <summary>As <see cref="Decided(Activity?, string, Interaction, Decision, long, Guid, long)"/>, with the outcome and term already named.</summary>
    public void Decided(Activity? span, string rpc, string interaction, string outcome, string term, long revision, Guid decisionId, long startedTimestamp)
    {
        var tags = new System.Diagnostics.TagList
        {
            { TelemetryNames.Rpc, rpc },
            { TelemetryNames.Outcome, outcome },
            { TelemetryNames.DecidingTerm, term },
            { TelemetryNames.Interaction, interaction },
        };
        _decisions.Add(1, in tags);
        _duration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds, new(TelemetryNames.Rpc, rpc), new(TelemetryNames.Outcome, outcome));
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(TelemetryNames.DecisionId, decisionId.ToString());
            span.SetTag(TelemetryNames.Outcome, outcome);
            span.SetTag(TelemetryNames.DecidingTerm, term);
            span.SetTag(TelemetryNames.Interaction, interaction);
            span.SetTag(TelemetryNames.Revision, revision);
        }
    }

    /// <summary>
    /// A decision that failed (bad input, storage or cluster unavailable): counted as an <c>error</c>,
    /// its span marked. Returns false, so that it can run as an exception filter that lets the
    /// exception go on unchanged (<c>catch (Exception e) when (telemetry.Failed(…))</c>).
    /// </summary>
    public bool Failed(Activity? span, string rpc, Exception error, long startedTimestamp)
    {
        if (error is OperationCanceledException)
        {
            return false; // the caller went away: no answer was given
        }
        var tags = new System.Diagnostics.TagList
        {
            { TelemetryNames.Rpc, rpc },
            { TelemetryNames.Outcome, "error" },
            { TelemetryNames.DecidingTerm, "none" },
            { TelemetryNames.Interaction, "unknown" },
        };
        _decisions.Add(1, in tags);
        _duration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds, new(TelemetryNames.Rpc, rpc), new(TelemetryNames.Outcome, "error"));
        span?.SetStatus(ActivityStatusCode.Error, error.GetType().Name);
        return false;
    }
}
