using PermissionLayer.Client;
using PermissionLayer.Contracts.V1;
using PermissionLayer.ExampleSync;

// An offline-sync device in miniature (README "Offline sync"): keeps in --dir the patients the token may
// hold (state.json + one folder per patient), follows WatchAccessiblePatients from the position it
// stored, fetches on ENTERED and purges on LEFT. Run it again later: it resumes where it stopped.
//   dotnet run --project src/PermissionLayer.ExampleSync -- --server http://localhost:5000 --api-key plk_… \
//     --client mobile-app --user Practitioner/p0 --scope 'user/*.rs' --dir ./device
var options = Arguments.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: --server URL --api-key KEY --client ID --user Practitioner/x --scope SCOPES [--context Group/g] [--dir DIR] [--once]");
    return 2;
}
Directory.CreateDirectory(options.Directory);
var applier = new FeedApplier(Path.Combine(options.Directory, "state.json"), new PatientData(Path.Combine(options.Directory, "patients")), Console.Out);
using var client = new PermissionLayerClient(new PermissionLayerClientOptions { Address = options.Server, ApiKey = options.ApiKey });
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
var request = new WatchAccessiblePatientsRequest
{
    Token = new TokenContext { ClientId = options.Client, FhirUser = options.User, Scope = options.Scope },
    ResourceType = "Patient",
};
request.Token.FhirContext.AddRange(options.Context);
Console.WriteLine($"resuming after revision {applier.State.Revision} holding {applier.State.Patients.Count} patient(s)");
try
{
    await foreach (var change in client.WatchAccessiblePatientsAsync(request, applier.Position, stop.Token))
    {
        applier.Apply(change);
        if (options.Once && change.Position.Revision > 0 && (change.IsHeartbeat || change.Snapshot is not null))
        {
            break; // in sync: stop (a scheduled sync, not a live one)
        }
    }
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
}
catch (PermissionLayerException e)
{
    // Refused (a revoked key, a bad request): the set can no longer be shown right, so purge it all.
    Console.Error.WriteLine(e.Message);
    applier.Apply(new PermissionLayer.Client.Sync.AccessibleFeedEvent(PermissionLayer.Client.Sync.AccessibleFeedPosition.Start, [], false, [], []));
    return 3;
}
Console.WriteLine($"in sync at revision {applier.State.Revision}: {string.Join(' ', applier.State.Patients)}");
return 0;
