using Orleans.Concurrency;

namespace PermissionLayer.Grains.Abstractions.Consents;

/// <summary>
/// One patient's consents (keyed by the patient id), compiled into provision trees on activation.
/// Every change goes through here and is committed to PostgreSQL before it is acknowledged, so the
/// next decision sees it; decisions are answered from memory.
/// </summary>
public interface IPatientConsentGrain : IGrainWithStringKey
{
    /// <summary>Stores (or replaces) a FHIR Consent for this patient; returns the change's revision.</summary>
    Task<long> Put(ConsentSubmission submission);

    /// <summary>Re-reads the patient's consents from PostgreSQL after a change committed elsewhere (an import).</summary>
    Task Reload();

    /// <summary>Withdraws one of this patient's consents; returns the change's revision.</summary>
    Task<long> Withdraw(string consentId, string actor, string reason);

    [ReadOnly]
    Task<ConsentAnswer> Decide(ConsentQuestion question);

    /// <summary>The ids of the consents on record (withdrawn ones excluded).</summary>
    [ReadOnly]
    Task<IReadOnlyList<string>> ConsentIds();
}
