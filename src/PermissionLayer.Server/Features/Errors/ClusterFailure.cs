namespace PermissionLayer.Server.Features.Errors;

/// <summary>
/// Orleans failures that a retry can cure (a silo died, a grain is moving, a call timed out during
/// failover). Callers see UNAVAILABLE and retry instead of treating them as final.
/// </summary>
internal static class ClusterFailure
{
    public static bool IsTransient(Exception e) => e switch
    {
        SiloUnavailableException => true,
        OrleansMessageRejectionException => true,
        TimeoutException => true,
        OrleansException when e.Message.Contains("unavailable", StringComparison.OrdinalIgnoreCase) => true,
        _ => e.InnerException is not null && IsTransient(e.InnerException),
    };
}
