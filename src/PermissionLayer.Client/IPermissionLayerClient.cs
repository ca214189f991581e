using PermissionLayer.Contracts.V1;

namespace PermissionLayer.Client;

/// <summary>
/// Asks PermissionLayer whether a FHIR request may proceed. Depend on this interface in the FHIR
/// server's code so that its own unit tests can substitute decisions.
/// </summary>
public interface IPermissionLayerClient
{
    /// <summary>Decides <paramref name="request"/> within the default deadline (retries included).</summary>
    /// <exception cref="PermissionLayerUnavailableException">No answer: retries spent or deadline passed. Deny (503).</exception>
    /// <exception cref="PermissionLayerException">The call was rejected, e.g. INVALID_ARGUMENT. Deny.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<CheckResult> CheckAsync(CheckRequest request, CancellationToken cancellationToken = default);

    /// <summary>Decides <paramref name="request"/> by an explicit UTC <paramref name="deadline"/> (retries included).</summary>
    /// <exception cref="PermissionLayerUnavailableException">No answer: retries spent or deadline passed. Deny (503).</exception>
    /// <exception cref="PermissionLayerException">The call was rejected, e.g. INVALID_ARGUMENT. Deny.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<CheckResult> CheckAsync(CheckRequest request, DateTime deadline, CancellationToken cancellationToken = default);

    /// <summary>
    /// Decides every entry of <paramref name="request"/> in one call (a Bundle's entries, a page of
    /// search results), within the default deadline. Each result is a decision or that entry's own
    /// error; an error is a deny. Results are in the order of the entries.
    /// </summary>
    /// <exception cref="PermissionLayerUnavailableException">No answer: retries spent or deadline passed. Deny (503).</exception>
    /// <exception cref="PermissionLayerException">The call was rejected, e.g. RESOURCE_EXHAUSTED. Deny.</exception>
    Task<CheckBatchResponse> CheckBatchAsync(CheckBatchRequest request, CancellationToken cancellationToken = default);
}
