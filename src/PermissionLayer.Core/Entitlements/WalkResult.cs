namespace PermissionLayer.Core.Entitlements;

/// <summary>
/// The walk's answers, all computed from the same facts: per touched patient, what reaches them
/// (<see cref="Patients"/>; for data in no compartment, one entry for ""); the reachable set when the
/// question named no patients (<see cref="Reach"/>); and the <see cref="Privacy"/> profile of the
/// grants that reach the touched patients with the <see cref="CareTeamsInForce"/> (when asked).
/// </summary>
public sealed record WalkResult(
    IReadOnlyList<PatientReach> Patients, ReachablePatients? Reach, PrivacyProfile Privacy, IReadOnlyList<string> CareTeamsInForce)
{
    /// <summary>Permitted only when there is an answer and every patient in it is reached.</summary>
    public bool Permitted => Patients.Count > 0 && Patients.All(p => p.Permitted);
}
