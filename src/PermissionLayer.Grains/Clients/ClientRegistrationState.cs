using PermissionLayer.Grains.Abstractions.Clients;

namespace PermissionLayer.Grains.Clients;

/// <summary>A client registration activation's state: the registration, or none (never registered).</summary>
internal sealed record ClientRegistrationState(ClientRegistration? Registration);
