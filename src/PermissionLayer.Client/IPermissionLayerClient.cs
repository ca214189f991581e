using PermissionLayer.Contracts.V1;

namespace PermissionLayer.Client;

/// <summary>
/// Asks PermissionLayer whether a FHIR request may proceed. Depend on this interface in the FHIR
/// server's code so that its own unit tests can substitute decisions.
/// </summary>
public interface IPermissionLayerClient
{
    /// <summary>Decides <paramref name="request"/> within the default deadline.</summary>
    /// <inheritdoc cref="PermissionLayerClient.CheckAsync(CheckRequest, DateTime, CancellationToken)" path="/exception"/>
    Task<CheckResult> CheckAsync(CheckRequest request, CancellationToken cancellationToken = default);

    /// <summary>Decides <paramref name="request"/> by an explicit UTC <paramref name="deadline"/>.</summary>
    Task<CheckResult> CheckAsync(CheckRequest request, DateTime deadline, CancellationToken cancellationToken = default);
}
