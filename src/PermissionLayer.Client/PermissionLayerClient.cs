using Grpc.Core;
using Grpc.Net.Client;
using PermissionLayer.Contracts.V1;

namespace PermissionLayer.Client;

/// <summary>
/// The PermissionLayer client for FHIR servers (policy enforcement points).
/// </summary>
/// <remarks>
/// <para>
/// Use one instance for the life of the FHIR server (it owns a pooled HTTP/2 channel; register it
/// with <see cref="PermissionLayerServiceCollectionExtensions.AddPermissionLayerClient"/>). Before
/// serving a request, build a <see cref="CheckRequest"/> from the access token you have already
/// validated and from the resource the request touches, call <see cref="CheckAsync(CheckRequest, CancellationToken)"/>,
/// and serve the request only when <see cref="CheckResult.IsPermitted"/> is true.
/// </para>
/// <para>
/// <b>Fail closed.</b> Every call has a deadline (<see cref="PermissionLayerClientOptions.DefaultDeadline"/>)
/// and UNAVAILABLE is retried a bounded number of times with exponential backoff. When that is not
/// enough the client throws — it never invents an answer. Catch
/// <see cref="PermissionLayerUnavailableException"/> and deny with HTTP 503; treat any other
/// <see cref="PermissionLayerException"/> as a deny too (it usually means the request you sent is
/// malformed). A FHIR server that serves data when the authorization service cannot be asked has
/// no authorization: an outage would silently become "everyone may read everything".
/// </para>
/// <para>
/// Take every <see cref="TokenContext"/> field from the validated access token, never from
/// request parameters or headers the caller controls. <c>src/PermissionLayer.ExamplePep</c> is a
/// complete, runnable example.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// try
/// {
///     var decision = await permissionLayer.CheckAsync(new CheckRequest
///     {
///         Token = new TokenContext { ClientId = token.ClientId, FhirUser = token.FhirUser, Scope = token.Scope },
///         Interaction = Interaction.Read,
///         ResourceType = "Observation",
///         ResourceId = id,
///         Stored = new ResourceState { FhirJson = storedJson },   // or pre-extracted facts with complete = true
///     }, httpContext.RequestAborted);
///     if (!decision.IsPermitted)
///     {
///         return Forbidden(decision.DecidingReason?.Message);   // 403 + OperationOutcome
///     }
///     return Ok(resource);
/// }
/// catch (PermissionLayerUnavailableException)
/// {
///     return ServiceUnavailable();                               // 503: fail closed
/// }
/// catch (PermissionLayerException)
/// {
///     return Forbidden("access could not be authorized");        // still a deny
/// }
/// </code>
/// </example>
public sealed class PermissionLayerClient : IPermissionLayerClient, IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly DecisionService.DecisionServiceClient _decisions;
    private readonly TimeSpan _defaultDeadline;

    /// <summary>Creates a client and its channel; throws <see cref="ArgumentException"/> on unusable options.</summary>
    public PermissionLayerClient(PermissionLayerClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        PermissionLayerClientOptionsValidation.ThrowIfInvalid(options);
        _channel = PermissionLayerChannel.Create(options);
        _decisions = new DecisionService.DecisionServiceClient(_channel);
        _defaultDeadline = options.DefaultDeadline;
    }

    /// <inheritdoc/>
    public Task<CheckResult> CheckAsync(CheckRequest request, CancellationToken cancellationToken = default) =>
        CheckAsync(request, DateTime.UtcNow + _defaultDeadline, cancellationToken);

    /// <inheritdoc/>
    public async Task<CheckResult> CheckAsync(CheckRequest request, DateTime deadline, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await CallAsync(
            options => _decisions.CheckAsync(request, options).ResponseAsync, deadline, cancellationToken).ConfigureAwait(false);
        return CheckResult.From(response);
    }

    /// <inheritdoc/>
    public async Task<CheckBatchResponse> CheckBatchAsync(CheckBatchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await CallAsync(
            options => _decisions.CheckBatchAsync(request, options).ResponseAsync, DateTime.UtcNow + _defaultDeadline, cancellationToken).ConfigureAwait(false);
        // A batch that answers fewer results than entries would leave some entries undecided: never a permit.
        if (response.Results.Count != request.Entries.Count)
        {
            throw new PermissionLayerException(
                $"PermissionLayer answered {response.Results.Count} results for {request.Entries.Count} entries; deny the request",
                new RpcException(new Status(StatusCode.Internal, "result count mismatch")));
        }
        return response;
    }

    /// <summary>
    /// Round-trips to the server without deciding anything: a readiness probe for the FHIR server
    /// ("can I authorize requests right now?"). Throws like <see cref="CheckAsync(CheckRequest, CancellationToken)"/>.
    /// </summary>
    public async Task PingAsync(CancellationToken cancellationToken = default) =>
        await CallAsync(
            options => _decisions.PingAsync(new PingRequest(), options).ResponseAsync,
            DateTime.UtcNow + _defaultDeadline, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The offline-sync feed of the patients <paramref name="request"/>'s token may hold on a device
    /// (WatchAccessiblePatients), resumed automatically: from <paramref name="from"/> (the position the
    /// device stored, or <see cref="Sync.AccessibleFeedPosition.Start"/>), through broken connections and
    /// node restarts, as one sequence of events. Apply each event (a snapshot replaces the set; LEFT
    /// means purge) and store its position. Ends only by <paramref name="cancellationToken"/> or by a
    /// refusal (<see cref="PermissionLayerException"/>: e.g. the API key was revoked), after which the
    /// device's set must not be trusted.
    /// </summary>
    public IAsyncEnumerable<Sync.AccessibleFeedEvent> WatchAccessiblePatientsAsync(
        WatchAccessiblePatientsRequest request, Sync.AccessibleFeedPosition? from = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new Sync.AccessibleFeedReader(_decisions, TimeSpan.FromSeconds(30)).ReadAsync(request, from ?? Sync.AccessibleFeedPosition.Start, cancellationToken);
    }

    /// <summary>Closes the channel; calls in flight fail (and so deny).</summary>
    public void Dispose() => _channel.Dispose();

    private static async Task<T> CallAsync<T>(Func<CallOptions, Task<T>> call, DateTime deadline, CancellationToken cancellationToken)
    {
        try
        {
            return await call(new CallOptions(deadline: deadline.ToUniversalTime(), cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("the caller cancelled the PermissionLayer call", e, cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            throw new PermissionLayerUnavailableException(
                $"PermissionLayer gave no decision ({e.StatusCode}: {e.Status.Detail}); deny the request", e);
        }
        catch (RpcException e)
        {
            throw new PermissionLayerException(
                $"PermissionLayer rejected the call ({e.StatusCode}: {e.Status.Detail}); deny the request", e);
        }
    }
}
