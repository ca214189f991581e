using System.Runtime.CompilerServices;
using Grpc.Core;
using PermissionLayer.Contracts.V1;

namespace PermissionLayer.Client.Sync;

/// <summary>
/// Reads WatchAccessiblePatients and resumes it by itself: when the stream breaks (UNAVAILABLE, a node
/// stopping, a reset connection) or the server says resume (a consumer too far behind), it calls again
/// after the last position it handed over, with a capped exponential backoff, so the consumer sees
/// one unbroken feed. Refusals are not retried (the key was revoked, the request is invalid): they
/// throw, and the app must stop trusting its set.
/// </summary>
internal sealed class AccessibleFeedReader(DecisionService.DecisionServiceClient decisions, TimeSpan maxBackoff)
{
    public async IAsyncEnumerable<AccessibleFeedEvent> ReadAsync(
        WatchAccessiblePatientsRequest request, AccessibleFeedPosition from, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var position = from;
        var backoff = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            var call = request.Clone();
            call.AfterRevision = position.Revision;
            call.ContextDigest = position.ContextDigest;
            using var stream = decisions.WatchAccessiblePatients(call, cancellationToken: cancellationToken);
            var pages = new List<string>();
            var enumerator = stream.ResponseStream;
            while (true)
            {
                AccessibleChange message;
                try
                {
                    if (!await enumerator.MoveNext(cancellationToken).ConfigureAwait(false))
                    {
                        break; // the server ended the stream: resume
                    }
                    message = enumerator.Current;
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
                {
                    throw new OperationCanceledException("the caller stopped the feed", e, cancellationToken);
                }
                catch (RpcException e) when (Retryable(e.StatusCode))
                {
                    break;
                }
                catch (RpcException e)
                {
                    throw new PermissionLayerException(
                        $"PermissionLayer ended the sync feed ({e.StatusCode}: {e.Status.Detail}); stop trusting the device's set", e);
                }
                backoff = TimeSpan.FromMilliseconds(100);
                switch (message.EventCase)
                {
                    case AccessibleChange.EventOneofCase.Snapshot:
                        var page = message.Snapshot;
                        if (page.SnapshotBegin)
                        {
                            pages.Clear();
                        }
                        pages.AddRange(page.AllPatients ? page.ExcludedPatientIds : page.PatientIds);
                        if (page.SnapshotEnd)
                        {
                            position = new AccessibleFeedPosition(page.Revision, page.ContextDigest);
                            yield return new AccessibleFeedEvent(position, [.. pages], page.AllPatients, [], []);
                            pages.Clear();
                        }
                        break;
                    case AccessibleChange.EventOneofCase.Changes:
                        var batch = message.Changes;
                        position = new AccessibleFeedPosition(batch.Revision, batch.ContextDigest);
                        yield return new AccessibleFeedEvent(position, null, false,
                            [.. batch.Changes.Where(c => c.Change == AccessChange.Entered).Select(c => c.PatientId)],
                            [.. batch.Changes.Where(c => c.Change == AccessChange.Left).Select(c => c.PatientId)]);
                        break;
                    case AccessibleChange.EventOneofCase.Heartbeat:
                        position = new AccessibleFeedPosition(message.Heartbeat.Revision, message.Heartbeat.ContextDigest);
                        yield return new AccessibleFeedEvent(position, null, false, [], []);
                        break;
                    case AccessibleChange.EventOneofCase.ResumeRequired:
                        // Nothing was dropped: the next call resumes after the last position handed over.
                        break;
                    default:
                        // A message this client does not know may change the set: resume with a fresh
                        // snapshot rather than guess (fail closed).
                        position = AccessibleFeedPosition.Start with { Revision = position.Revision };
                        break;
                }
                if (message.EventCase is AccessibleChange.EventOneofCase.ResumeRequired or AccessibleChange.EventOneofCase.None)
                {
                    break;
                }
            }
            await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, maxBackoff.Ticks));
        }
    }

    private static bool Retryable(StatusCode status) =>
        status is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted or StatusCode.Aborted;
}
