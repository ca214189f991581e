using PermissionLayer.Client.Sync;

namespace PermissionLayer.ExampleSync;

/// <summary>
/// Applies the feed to the device: a snapshot replaces the set (purging the patients it no longer
/// admits), ENTERED fetches, LEFT purges; then the new position is stored with the set. Purges happen
/// before the state that no longer lists the patient is saved, so a crash in between re-purges, never
/// keeps a patient the state forgot.
/// </summary>
internal sealed class FeedApplier(string statePath, PatientData data, TextWriter log)
{
    public DeviceState State { get; private set; } = DeviceState.Load(statePath);

    public AccessibleFeedPosition Position => new(State.Revision, State.ContextDigest);

    public void Apply(AccessibleFeedEvent change)
    {
        var patients = new SortedSet<string>(State.Patients, StringComparer.Ordinal);
        if (change.Snapshot is { } snapshot)
        {
            if (change.AllPatients)
            {
                // A device cannot hold every patient: keep nothing rather than guess (fail closed).
                throw new InvalidOperationException("the token reaches every patient; an offline device must be given a narrower token");
            }
            var admitted = new HashSet<string>(snapshot, StringComparer.Ordinal);
            foreach (var patient in patients.Concat(data.Held()).Where(p => !admitted.Contains(p)).Distinct().ToList())
            {
                data.Purge(patient);
                patients.Remove(patient);
                log.WriteLine($"purged  {patient} (not in the snapshot)");
            }
            foreach (var patient in admitted.Where(p => !patients.Contains(p)).Order(StringComparer.Ordinal))
            {
                data.Fetch(patient);
                patients.Add(patient);
                log.WriteLine($"fetched {patient}");
            }
        }
        foreach (var patient in change.Left)
        {
            data.Purge(patient);
            patients.Remove(patient);
            log.WriteLine($"purged  {patient} (LEFT at revision {change.Position.Revision})");
        }
        foreach (var patient in change.Entered)
        {
            data.Fetch(patient);
            patients.Add(patient);
            log.WriteLine($"fetched {patient} (ENTERED at revision {change.Position.Revision})");
        }
        State = new DeviceState(change.Position.Revision, change.Position.ContextDigest, patients);
        State.Save(statePath);
    }
}
