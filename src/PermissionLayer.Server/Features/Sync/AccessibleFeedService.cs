using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Sync;
using PermissionLayer.Grains.Decisions;
using PermissionLayer.Grains.Revisions;
using PermissionLayer.Grains.Sync;
using PermissionLayer.Server.Features.Audit;
using PermissionLayer.Server.Features.Authentication;
using PermissionLayer.Server.Features.Decisions;
using PermissionLayer.Storage.Changes;
using CoreInteraction = PermissionLayer.Core.Requests.Interaction;
using CoreToken = PermissionLayer.Core.Requests.TokenContext;

namespace PermissionLayer.Server.Features.Sync;

/// <summary>
/// Serves one WatchAccessiblePatients call (README "Offline sync"): the set now (a snapshot, or on
/// resume nothing when no commit since after_revision touches the requester and no period boundary
/// passed, else a fresh snapshot), then one recompute of the requester's set per signal from the
/// <see cref="AccessibleFeedHub"/>, sent as the diff; heartbeats in between. Every set comes from
/// <see cref="DecisionEvaluator.AccessiblePatientsAsync"/>, the very answer of StreamAccessiblePatients.
/// </summary>
public sealed class AccessibleFeedService(
    DecisionEvaluator evaluator, DecisionClock time, RevisionSync sync, RequesterFactsReader factsReader, AccessibleFeedHub hub,
    EntitlementChangeReader changes, AccessibleFeedOptions options, DecisionAuditRecorder audit, RevocableCalls calls, FeedRecomputes recomputes)
{
    /// <summary>Runs the feed until the caller leaves or its key is revoked (<see cref="RevocableCalls"/>).</summary>
    public Task RunAsync(WatchAccessiblePatientsRequest request, IServerStreamWriter<AccessibleChange> stream, ServerCallContext context) =>
        calls.RunAsync(context, live => RunAsync(request, stream, context, live));

    private async Task RunAsync(
        WatchAccessiblePatientsRequest request, IServerStreamWriter<AccessibleChange> stream, ServerCallContext context, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var pageSize = request.PageSize switch
        {
            0 => 1000,
            < 0 or > 10_000 => throw new Core.Requests.RequestValidationException("page_size", "must be between 1 and 10000"),
            _ => request.PageSize,
        };
        if (request.AfterRevision < 0)
        {
            throw new Core.Requests.RequestValidationException("after_revision", "must be 0 (start with a snapshot) or a revision the feed handed out");
        }
        var token = CheckRequestMapping.ToTokenContext(request.Token);
        var interaction = request.Interaction == Interaction.Unspecified
            ? CoreInteraction.SearchType
            : CheckRequestMapping.ToInteraction(request.Interaction);
        var resourceType = CheckRequestMapping.ResourceType(request.ResourceType);
        var caller = CallerIdentity.Of(context);
        var digest = FeedContextDigest.Of(request.Token ?? new(), interaction, resourceType);

        var after = request.AfterRevision;
        // A revision is only a resume point of the request it was handed out for (FeedContextDigest).
        var sameContext = after > 0 && FeedContextDigest.Matches(request.ContextDigest, digest);
        var reachable = sameContext && await sync.EnsureAtLeastAsync(after, cancellationToken);
        var (accessible, facts, at) = await ComputeAsync(digest, token, interaction, resourceType, cancellationToken);
        var resumed = reachable && after <= accessible.Revision && await UntouchedSinceAsync(after, accessible.Revision, facts, at, cancellationToken);
        var how = after == 0 ? "snapshot"
            : resumed ? "resumed as a diff"
            : sameContext ? "fresh snapshot"
            : "fresh snapshot: the resume point belongs to another request context";

        // Registered before anything is audited or sent: a refused feed has no "opened" row.
        var feed = hub.Open(facts, accessible.Revision, at)
            ?? throw new RpcException(new Status(StatusCode.ResourceExhausted, "this node serves its limit of sync feeds (PermissionLayer:Sync:MaxFeeds): retry on another node or later"));
        try
        {
            await audit.RecordRowAsync(AccessibleFeedRecord.Opened(token, interaction, resourceType, after, accessible.Revision, how,
                accessible.Patients.Count, accessible.AllPatients, caller, Stopwatch.GetElapsedTime(started)), cancellationToken);
            var set = AccessibleSet.Of(accessible);
            if (resumed)
            {
                await stream.WriteAsync(Heartbeat(accessible.Revision, at, digest), cancellationToken);
            }
            else
            {
                await SnapshotAsync(stream, accessible, fresh: after > 0, pageSize, digest, cancellationToken);
            }
            var delivered = accessible.Revision;
            while (!cancellationToken.IsCancellationRequested)
            {
                var signals = await NextSignalsAsync(feed, cancellationToken);
                if (feed.Overflowed)
                {
                    await stream.WriteAsync(new AccessibleChange
                    {
                        ResumeRequired = new AccessibleResumeRequired
                        {
                            AfterRevision = delivered,
                            Reason = $"the consumer fell more than {options.Capacity} changes behind: resume after revision {delivered}",
                            ContextDigest = digest,
                        },
                    }, cancellationToken);
                    return;
                }
                if (signals.Count == 0)
                {
                    if (feed.Settled)
                    {
                        await stream.WriteAsync(Heartbeat(feed.ConfirmedRevision, feed.ConfirmedAt, digest), cancellationToken);
                    }
                    continue;
                }
                var batchStarted = Stopwatch.GetTimestamp();
                var (next, nextFacts, nextAt) = await ComputeAsync(digest, token, interaction, resourceType, cancellationToken);
                var nextSet = AccessibleSet.Of(next);
                var diff = AccessibleDiff.Between(set, nextSet);
                if (diff.NeedsSnapshot)
                {
                    await audit.RecordRowAsync(AccessibleFeedRecord.Opened(token, interaction, resourceType, delivered, next.Revision, "fresh snapshot: the set changed shape",
                        next.Patients.Count, next.AllPatients, caller, Stopwatch.GetElapsedTime(batchStarted)), cancellationToken);
                    await SnapshotAsync(stream, next, fresh: true, pageSize, digest, cancellationToken);
                }
                else if (!diff.IsEmpty)
                {
                    await audit.RecordRowAsync(AccessibleFeedRecord.Batch(token, interaction, resourceType, next.Revision, diff.Entered, diff.Left,
                        caller, Stopwatch.GetElapsedTime(batchStarted)), cancellationToken);
                    await stream.WriteAsync(Batch(next.Revision, nextAt, diff, signals, digest), cancellationToken);
                }
                set = nextSet;
                delivered = next.Revision;
                feed.Recomputed(nextFacts, next.Revision, nextAt, signals.Count);
            }
        }
        finally
        {
            hub.Close(feed);
        }
    }

    /// <summary>The set now, through <see cref="FeedRecomputes"/> (bounded, shared by feeds of one request context).</summary>
    private Task<FeedComputation> ComputeAsync(
        string digest, CoreToken token, CoreInteraction interaction, string resourceType, CancellationToken cancellationToken) =>
        recomputes.ComputeAsync(digest, async stop =>
        {
            // Read before the set: the evaluator's instant is no earlier, so a boundary in between is
            // only counted twice (one needless recompute), never missed.
            var at = time.GetUtcNow();
            var accessible = await evaluator.AccessiblePatientsAsync(token, interaction, resourceType, stop);
            var facts = await factsReader.ReadAsync(token, accessible, stop);
            return new FeedComputation(accessible, facts, at);
        }, cancellationToken);

    /// <summary>
    /// Whether the device's set at <paramref name="after"/> is still right: no commit since touches
    /// the requester, and no period boundary lies between that revision's commit and now. Anything
    /// unknown (the revision's commit time) answers false: a fresh snapshot is always right.
    /// </summary>
    private async Task<bool> UntouchedSinceAsync(long after, long revision, RequesterFacts facts, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var row = (await changes.AfterAsync(after - 1, null, 1, cancellationToken)).FirstOrDefault();
        if (row is null || row.Revision != after || row.At > now || PeriodBoundaries.Passed(facts.Boundaries, row.At, now))
        {
            return false;
        }
        // Read a page at a time, and only so far: beyond MaxResumeChanges commits a snapshot is
        // cheaper than the reading (and memory stays bounded however old the revision).
        var read = 0;
        await foreach (var page in hub.ChangePagesAsync(after, revision, cancellationToken))
        {
            read += page.Count;
            if (read > options.MaxResumeChanges || page.Any(c => facts.Dependencies.Touched(c.Entities).Count > 0))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Waits for signals (up to a heartbeat interval) and takes every one pending: one recompute serves them all.</summary>
    private async Task<IReadOnlyList<FeedSignal>> NextSignalsAsync(AccessibleFeed feed, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(options.Heartbeat);
        try
        {
            await feed.Signals.WaitToReadAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
        var signals = new List<FeedSignal>();
        while (feed.Signals.TryRead(out var signal))
        {
            signals.Add(signal);
        }
        return signals;
    }

    private static async Task SnapshotAsync(
        IServerStreamWriter<AccessibleChange> stream, AccessiblePatients accessible, bool fresh, int pageSize, string digest, CancellationToken cancellationToken)
    {
        var ids = accessible.AllPatients ? accessible.Withheld : accessible.Patients;
        var start = 0;
        do
        {
            var page = new AccessibleSnapshotPage
            {
                SnapshotBegin = start == 0, Fresh = fresh, Revision = accessible.Revision, AllPatients = accessible.AllPatients, ContextDigest = digest,
            };
            var slice = ids.Skip(start).Take(pageSize);
            (accessible.AllPatients ? page.ExcludedPatientIds : page.PatientIds).AddRange(slice);
            start += pageSize;
            page.SnapshotEnd = start >= ids.Count;
            await stream.WriteAsync(new AccessibleChange { Snapshot = page }, cancellationToken);
        }
        while (start < ids.Count);
    }

    private static AccessibleChange Heartbeat(long revision, DateTimeOffset at, string digest) =>
        new() { Heartbeat = new AccessibleHeartbeat { Revision = revision, AsOf = Timestamp.FromDateTimeOffset(at), ContextDigest = digest } };

    private static AccessibleChange Batch(long revision, DateTimeOffset at, AccessibleDiff diff, IReadOnlyList<FeedSignal> signals, string digest)
    {
        var entities = signals.SelectMany(s => s.Because).Distinct().ToList();
        var boundaries = signals.Where(s => s.Boundary is not null).Select(s => $"period boundary {s.Boundary!.Value:O}").Distinct().ToList();
        // EventCauses: a consent is named only on its own patient's event.
        IEnumerable<string> Because(string patient) => EventCauses.For(patient, entities, boundaries);
        var batch = new AccessibleChangeBatch { Revision = revision, AsOf = Timestamp.FromDateTimeOffset(at), ContextDigest = digest };
        foreach (var (patients, change) in new[] { (diff.Entered, AccessChange.Entered), (diff.Left, AccessChange.Left) })
        {
            foreach (var patient in patients)
            {
                var item = new AccessiblePatientChange { PatientId = patient, Change = change };
                item.Because.AddRange(Because(patient));
                batch.Changes.Add(item);
            }
        }
        return new AccessibleChange { Changes = batch };
    }
}
