using PermissionLayer.Core.Consents;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Grains.Abstractions.Clients;
using PermissionLayer.Grains.Abstractions.Consents;
using PermissionLayer.Grains.Abstractions.Principals;
using PermissionLayer.Grains.LocalState;

namespace PermissionLayer.Grains.Decisions;

/// <summary>
/// The decision path's questions to the client-registration, principal and patient-consent grains:
/// answered from the state an activation on this silo published (no grain call), else by the grain
/// itself (on another silo, or activated by this call). Both answer with the same code from the same
/// kind of state; see <see cref="ActivationStates{TState}"/> for why the published state is current.
/// </summary>
public sealed class EntitlementReads(GrainReferences grains, PublishedStates published, ConsentDefaults defaults)
{
    /// <summary>For the grains asked only through calls (groups, care teams, the consent registry).</summary>
    public GrainReferences Grains => grains;

    public Task<ClientRegistration?> RegistrationAsync(string clientId) =>
        published.ClientRegistrations.TryGet(clientId, out var state)
            ? Task.FromResult(state.Registration)
            : grains.Get<IClientRegistrationGrain>(clientId).Get();

    public Task<AccessAnswer> AuthorizeAsync(string principal, AccessQuestion question) =>
        published.Principals.TryGet(principal, out var state)
            ? state.AuthorizeAsync(question, grains)
            : grains.Get<IPrincipalGrain>(principal).Authorize(question);

    public Task<ReachableSet> ReachAsync(string principal, DataActions actions, string? resourceType, string? purpose, DateTimeOffset at) =>
        published.Principals.TryGet(principal, out var state)
            ? state.ReachAsync(actions, resourceType, purpose, at, grains)
            : grains.Get<IPrincipalGrain>(principal).Reach(actions, resourceType, purpose, at);

    public Task<RequesterProfile> ProfileAsync(
        string principal, DataActions actions, string? resourceType, string? purpose, DateTimeOffset at, IReadOnlyList<string>? patients) =>
        published.Principals.TryGet(principal, out var state)
            ? state.ProfileAsync(actions, resourceType, purpose, at, patients, grains)
            : grains.Get<IPrincipalGrain>(principal).Profile(actions, resourceType, purpose, at, patients);

    public Task<ConsentAnswer> ConsentAsync(string patient, ConsentQuestion question) =>
        published.PatientConsents.TryGet(patient, out var state)
            ? Task.FromResult(state.Decide(question, defaults.PolicyRule))
            : grains.Get<IPatientConsentGrain>(patient).Decide(question);
}
