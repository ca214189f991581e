using PermissionLayer.Grains.Clients;
using PermissionLayer.Grains.Consents;
using PermissionLayer.Grains.Principals;

namespace PermissionLayer.Grains.LocalState;

/// <summary>
/// This silo's published activation states, one registry per grain type the decision path reads
/// (one singleton per silo; see <see cref="ActivationStates{TState}"/> for the rules).
/// </summary>
public sealed class PublishedStates(TimeProvider time, ILocalActivationStatusChecker activations)
{
    internal ActivationStates<PrincipalState> Principals { get; } = new(time, activations);

    internal ActivationStates<ClientRegistrationState> ClientRegistrations { get; } = new(time, activations);

    internal ActivationStates<PatientConsentState> PatientConsents { get; } = new(time, activations);
}
