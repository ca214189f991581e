using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Core.References;
using PermissionLayer.Core.Requests;
using PermissionLayer.Storage.Access;
using PermissionLayer.Storage.Changes;

namespace PermissionLayer.Server.Features.Admin;

/// <summary>Reading entitlements back: who can see a patient, and the stream of committed changes.</summary>
public sealed partial class AdminGrpcService
{
    private const int WatchPageSize = 500;

    // The stream polls: changes are rare next to decisions, and a quarter-second delay is well within
    // what a sync service (the offline practitioner app) needs.
    private static readonly TimeSpan WatchPollInterval = TimeSpan.FromMilliseconds(250);

    public override async Task<WhoCanSeeResponse> WhoCanSee(WhoCanSeeRequest request, ServerCallContext context)
    {
        RequireId(request.PatientId, "patient_id");
        var paths = await accessQuery.WhoCanSeeAsync(request.PatientId, request.At?.ToDateTimeOffset() ?? DateTimeOffset.UtcNow, context.CancellationToken);
        var response = new WhoCanSeeResponse();
        response.Paths.AddRange(paths.Select(p => new AccessPath
        {
            Principal = p.Principal, GrantId = p.GrantId?.ToString() ?? "", Via = p.Via, Actions = p.Actions,
            ValidUntil = p.ValidUntil is { } until ? Timestamp.FromDateTimeOffset(until) : null, Explanation = p.Explanation,
        }));
        return response;
    }

    public override Task Watch(WatchRequest request, IServerStreamWriter<EntitlementChange> responseStream, ServerCallContext context)
    {
        if (request.AfterRevision < 0)
        {
            throw new RequestValidationException("after_revision", "must not be negative");
        }
        return calls.RunAsync(context, live => WatchAsync(request, responseStream, live));
    }

    private async Task WatchAsync(WatchRequest request, IServerStreamWriter<EntitlementChange> responseStream, CancellationToken cancellationToken)
    {
        var subject = string.IsNullOrEmpty(request.Subject) ? null : request.Subject;
        var cursor = request.AfterRevision;
        while (!cancellationToken.IsCancellationRequested)
        {
            // Only what this silo has applied: a PEP that passes a revision it read here as min_revision,
            // or reads a decision here reporting it, finds the change in force (the poll catches up first).
            await sync.EnsureAtLeastAsync(cursor + 1, cancellationToken);
            var applied = revisions.Current;
            var changes = applied > cursor ? await changeReader.AfterAsync(cursor, subject, WatchPageSize, cancellationToken) : [];
            var delivered = 0;
            foreach (var change in changes.TakeWhile(c => c.Revision <= applied))
            {
                await responseStream.WriteAsync(ToWire(change), cancellationToken);
                cursor = change.Revision;
                delivered++;
            }
            if (changes.Count < WatchPageSize)
            {
                cursor = Math.Max(cursor, applied); // every change up to it (to the subject) is delivered
                await Task.Delay(WatchPollInterval, cancellationToken);
            }
            else if (delivered == 0)
            {
                await Task.Delay(WatchPollInterval, cancellationToken);
            }
        }
    }

    private static EntitlementChange ToWire(EntitlementChangeRow change) => new()
    {
        Revision = change.Revision, At = Timestamp.FromDateTimeOffset(change.At), Actor = change.Actor, Reason = change.Reason,
        Kind = change.Kind, Subject = change.Subject, BeforeJson = change.Before ?? "", AfterJson = change.After ?? "",
    };
}
