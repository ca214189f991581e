using System.Diagnostics.Metrics;

namespace PermissionLayer.Server.Features.Telemetry;

/// <summary>API-key authentication failures, by reason only: never the key, its id or the caller's address.</summary>
public sealed class AuthenticationMetrics
{
    public const string Missing = "missing";
    public const string Malformed = "malformed";
    public const string UnknownKey = "unknown-key";
    public const string StoreUnavailable = "store-unavailable";

    private readonly Counter<long> _failures;

    public AuthenticationMetrics(IMeterFactory meters)
    {
        _failures = meters.Create(TelemetryNames.Source).CreateCounter<long>(TelemetryNames.AuthenticationFailures, "{request}",
            "Requests whose API key was missing (where one is required), malformed, unknown, revoked or refused unasked, or could not be checked");
    }

    /// <param name="reason">One of the constants of this class.</param>
    public void Failed(string reason) => _failures.Add(1, new KeyValuePair<string, object?>(TelemetryNames.FailureReason, reason));
}
