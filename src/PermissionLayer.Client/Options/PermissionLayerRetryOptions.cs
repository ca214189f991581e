namespace PermissionLayer.Client;

/// <summary>
/// The retry policy for UNAVAILABLE, handed to gRPC's built-in retries (service config), so that
/// attempts, backoff and deadline are accounted for in one place. Only UNAVAILABLE is retried: it
/// means the request was not decided. Other failures are final and the caller must deny.
/// </summary>
/// <remarks>
/// The whole sequence runs inside the call's deadline: when the deadline passes first, the call
/// ends with DEADLINE_EXCEEDED. The worst case of a FHIR request is therefore the deadline, not
/// attempts × backoff. The channel's reconnect backoff starts at <see cref="InitialBackoff"/> too, so
/// retries after a refused connection try a fresh connection rather than failing on the old state.
/// </remarks>
public sealed class PermissionLayerRetryOptions
{
    /// <summary>Attempts including the first, 1 to 5 (gRPC caps at 5). 1 turns retries off. Default 4.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The backoff ceiling before the first retry (gRPC randomizes each delay below its ceiling). Default 100 ms.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The largest backoff ceiling. Default 1 s.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How much the ceiling grows per retry. Default 2.</summary>
    public double BackoffMultiplier { get; set; } = 2;
}
