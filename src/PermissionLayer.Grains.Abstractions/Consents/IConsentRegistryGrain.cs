namespace PermissionLayer.Grains.Abstractions.Consents;

/// <summary>
/// One shard of every patient's consents, for the questions that name no patient: a population search
/// must leave out each accessible patient whose consent withholds the data from the requester, and
/// asking one grain per patient does not scale to every patient. Patients are spread over
/// <see cref="ConsentRegistryShards.Count"/> shards by a hash of their id, so the shards load and screen
/// in parallel, on whichever silos hold them. The key is "shard/count" (<see cref="ConsentRegistryShards.Key"/>):
/// a shard loaded for another count is another grain, never asked for patients it did not load. The
/// patients' own grains stay the write path and answer targeted questions; each shard catches up with
/// committed changes from PostgreSQL before it answers.
/// </summary>
public interface IConsentRegistryGrain : IGrainWithStringKey
{
    /// <summary>How many of this shard's patients have consents on record (activating the shard if it is not yet).</summary>
    Task<int> PatientsWithConsents();

    /// <summary>Which of the candidates (all of them this shard's; or all of its patients) a consent withholds from the question's requester.</summary>
    Task<ConsentScreen> Screen(ConsentScreening screening);
}
