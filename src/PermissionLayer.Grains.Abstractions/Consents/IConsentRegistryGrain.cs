using Orleans.Concurrency;

namespace PermissionLayer.Grains.Abstractions.Consents;

/// <summary>
/// Every patient's consents in one place (a single activation, key 0), for the questions that name no
/// patient: a population search must leave out each accessible patient whose consent withholds the
/// data from the requester, and asking one grain per patient does not scale to every patient. The
/// patients' own grains stay the write path and answer targeted questions; each tells the registry
/// after a change commits, before the change is acknowledged.
/// </summary>
public interface IConsentRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Re-reads one patient's consents from PostgreSQL (after a put, withdrawal or import).</summary>
    Task Refresh(string patientId);

    /// <summary>How many patients have consents on record (activating the registry if it is not yet).</summary>
    [ReadOnly]
    Task<int> PatientsWithConsents();

    /// <summary>Which of the candidates (or of all patients) a consent withholds from the question's requester.</summary>
    [ReadOnly]
    Task<ConsentScreen> Screen(ConsentScreening screening);
}
