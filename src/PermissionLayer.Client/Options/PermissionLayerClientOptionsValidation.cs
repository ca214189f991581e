namespace PermissionLayer.Client;

/// <summary>Rejects options that would silently weaken the client (no deadline, unbounded retries).</summary>
internal static class PermissionLayerClientOptionsValidation
{
    /// <summary>Gives the options' problems, one line each; empty when they are usable.</summary>
    public static IReadOnlyList<string> Problems(PermissionLayerClientOptions options)
    {
        var problems = new List<string>();
        if (options.Address is not { IsAbsoluteUri: true } address || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add("Address must be an absolute http:// or https:// URI");
        }
        if (options.DefaultDeadline <= TimeSpan.Zero)
        {
            problems.Add("DefaultDeadline must be positive: a call without a deadline can hang a FHIR request");
        }
        if (options.ApiKey is { } key && (key.Length == 0 || key.Any(char.IsWhiteSpace)))
        {
            problems.Add("ApiKey must be null or a non-empty value without whitespace");
        }
        var retry = options.Retry;
        if (retry is null)
        {
            problems.Add("Retry is required");
            return problems;
        }
        if (retry.MaxAttempts is < 1 or > 5)
        {
            problems.Add("Retry.MaxAttempts must be between 1 and 5");
        }
        if (retry.InitialBackoff <= TimeSpan.Zero || retry.MaxBackoff < retry.InitialBackoff)
        {
            problems.Add("Retry.InitialBackoff must be positive and not above Retry.MaxBackoff");
        }
        if (!(retry.BackoffMultiplier >= 1))
        {
            problems.Add("Retry.BackoffMultiplier must be at least 1");
        }
        return problems;
    }

    public static void ThrowIfInvalid(PermissionLayerClientOptions options)
    {
        var problems = Problems(options);
        if (problems.Count > 0)
        {
            throw new ArgumentException("invalid PermissionLayer client options: " + string.Join("; ", problems), nameof(options));
        }
    }
}
