using Grpc.Core;
using PermissionLayer.Contracts.V1;

namespace PermissionLayer.Server.Tests.Sync;

/// <summary>A device applying a WatchAccessiblePatients feed, as an offline client would: its set, revision and the instant it is known right at.</summary>
internal sealed class FeedDevice : IAsyncDisposable
{
    private readonly AsyncServerStreamingCall<AccessibleChange> _call;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;
    private readonly Lock _gate = new();
    private HashSet<string> _pending = [];

    public FeedDevice(DecisionService.DecisionServiceClient client, WatchAccessiblePatientsRequest request, IEnumerable<string>? held = null)
    {
        // A resuming device starts from the set it holds (at request.AfterRevision).
        _set = [.. held ?? []];
        _call = client.WatchAccessiblePatients(request, cancellationToken: _stop.Token);
        _reading = Task.Run(ReadAsync);
    }

    private HashSet<string> _set = [];
    private readonly List<AccessibleChange> _received = [];

    /// <summary>A copy of the set the device holds now (the reader goes on applying messages).</summary>
    public HashSet<string> Set
    {
        get
        {
            lock (_gate)
            {
                return [.. _set];
            }
        }
    }
    public long Revision { get; private set; }
    public DateTimeOffset AsOf { get; private set; }
    /// <summary>A copy of the messages received so far.</summary>
    public IReadOnlyList<AccessibleChange> Received
    {
        get
        {
            lock (_gate)
            {
                return [.. _received];
            }
        }
    }
    public bool SnapshotDone { get; private set; }

    /// <summary>The feed's context digest, to send back with the revision on resume.</summary>
    public string ContextDigest { get; private set; } = "";

    /// <summary>When the last change batch arrived (for delivery latency).</summary>
    public DateTime LastChangeAt { get; private set; }

    private async Task ReadAsync()
    {
        try
        {
            await foreach (var message in _call.ResponseStream.ReadAllAsync(_stop.Token))
            {
                lock (_gate)
                {
                    _received.Add(message);
                    switch (message.EventCase)
                    {
                        case AccessibleChange.EventOneofCase.Snapshot:
                            if (message.Snapshot.SnapshotBegin)
                            {
                                _pending = [];
                            }
                            _pending.UnionWith(message.Snapshot.PatientIds);
                            if (message.Snapshot.SnapshotEnd)
                            {
                                _set = _pending;
                                Revision = message.Snapshot.Revision;
                                ContextDigest = message.Snapshot.ContextDigest;
                                SnapshotDone = true;
                            }
                            break;
                        case AccessibleChange.EventOneofCase.Changes:
                            foreach (var change in message.Changes.Changes)
                            {
                                if (change.Change == AccessChange.Entered)
                                {
                                    _set.Add(change.PatientId);
                                }
                                else
                                {
                                    _set.Remove(change.PatientId);
                                }
                            }
                            Revision = message.Changes.Revision;
                            AsOf = message.Changes.AsOf.ToDateTimeOffset();
                            LastChangeAt = DateTime.UtcNow;
                            break;
                        case AccessibleChange.EventOneofCase.Heartbeat:
                            Revision = Math.Max(Revision, message.Heartbeat.Revision);
                            AsOf = message.Heartbeat.AsOf.ToDateTimeOffset();
                            ContextDigest = message.Heartbeat.ContextDigest;
                            SnapshotDone = true;
                            break;
                    }
                }
            }
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
        {
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Waits until the device is known right at revision ≥ <paramref name="revision"/> and instant ≥ <paramref name="at"/>; returns its set.</summary>
    public async Task<IReadOnlySet<string>> AtAsync(long revision, DateTimeOffset at, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (DateTime.UtcNow < deadline)
        {
            lock (_gate)
            {
                if (SnapshotDone && Revision >= revision && AsOf >= at)
                {
                    return new HashSet<string>(_set);
                }
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"the feed did not reach revision {revision} at {at:O} (it is at {Revision}, {AsOf:O})");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _reading;
        }
        catch (Exception)
        {
        }
        _call.Dispose();
        _stop.Dispose();
    }
}
