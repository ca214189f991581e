namespace PermissionLayer.Grains.Abstractions.Consents;

/// <summary>
/// Every patient's consents in one place (a single activation, key 0), for the questions that name no
/// patient: a population search must leave out each accessible patient whose consent withholds the
/// data from the requester, and asking one grain per patient does not scale to every patient. The
/// patients' own grains stay the write path and answer targeted questions; the registry catches up
/// with committed changes from PostgreSQL before it answers.
/// </summary>
public interface IConsentRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>How many patients have consents on record (activating the registry if it is not yet).</summary>
    Task<int> PatientsWithConsents();

    /// <summary>Which of the candidates (or of all patients) a consent withholds from the question's requester.</summary>
    Task<ConsentScreen> Screen(ConsentScreening screening);
}
