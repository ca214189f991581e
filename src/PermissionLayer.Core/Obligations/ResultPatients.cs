namespace PermissionLayer.Core.Obligations;

/// <summary>
/// The patients a search's results may concern (the obligation's patient restriction): every patient
/// (<see cref="AllPatients"/>) or <see cref="Patients"/>, less <see cref="Excluded"/>. When the lists
/// are not all known (<see cref="Complete"/> false: the wire sends them inline only up to a limit) a
/// patient cannot be admitted from them.
/// </summary>
public sealed record ResultPatients(bool AllPatients, IReadOnlySet<string> Patients, IReadOnlySet<string> Excluded, bool Complete)
{
    /// <summary>Whether the restriction admits the patient; null when the lists held here cannot say.</summary>
    public bool? Admits(string patient) =>
        Excluded.Contains(patient) ? false
        : AllPatients ? (Complete ? true : null)
        : Patients.Contains(patient) ? true
        : Complete ? false : null;
}
