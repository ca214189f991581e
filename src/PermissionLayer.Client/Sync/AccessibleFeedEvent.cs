namespace PermissionLayer.Client.Sync;

/// <summary>
/// One step of the offline-sync feed as <see cref="PermissionLayerClient.WatchAccessiblePatientsAsync"/>
/// hands it over, snapshot pages already assembled. Apply it, then store <see cref="Position"/>: it is
/// where the feed resumes after a restart of the app.
/// </summary>
/// <param name="Position">The revision (and its request context) the device's set is right at once this is applied.</param>
/// <param name="Snapshot">
/// Not null: the device's whole set is now exactly these patients (a first snapshot, or a fresh one when
/// a resume could not be served as a diff) — purge every patient not in it. With
/// <paramref name="AllPatients"/> these are instead the patients the set leaves out.
/// </param>
/// <param name="AllPatients">The snapshot reaches every patient but <paramref name="Snapshot"/>.</param>
/// <param name="Entered">Patients the device may now hold.</param>
/// <param name="Left">Patients to purge from the device now.</param>
public sealed record AccessibleFeedEvent(
    AccessibleFeedPosition Position, IReadOnlyList<string>? Snapshot, bool AllPatients, IReadOnlyList<string> Entered, IReadOnlyList<string> Left)
{
    /// <summary>Nothing changed: the set is right at <see cref="Position"/> (a heartbeat).</summary>
    public bool IsHeartbeat => Snapshot is null && Entered.Count == 0 && Left.Count == 0;
}
