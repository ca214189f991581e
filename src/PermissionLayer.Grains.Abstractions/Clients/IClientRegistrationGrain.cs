using Orleans.Concurrency;

namespace PermissionLayer.Grains.Abstractions.Clients;

/// <summary>
/// The registration of one client application, keyed by its client_id. Every decision for a token of
/// that client asks it (in memory); changes commit to PostgreSQL before they are acknowledged.
/// </summary>
public interface IClientRegistrationGrain : IGrainWithStringKey
{
    /// <summary>Creates or replaces the registration; returns the change's revision.</summary>
    Task<long> Put(ClientRegistrationDraft draft);

    /// <summary>The registration, or null when the client was never registered.</summary>
    [ReadOnly]
    Task<ClientRegistration?> Get();
}
