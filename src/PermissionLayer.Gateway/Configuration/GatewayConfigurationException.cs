namespace PermissionLayer.Gateway.Configuration;

/// <summary>The gateway's configuration is unusable; the message names every bad key.</summary>
public sealed class GatewayConfigurationException(IReadOnlyList<string> problems)
    : Exception("invalid gateway configuration: " + string.Join("; ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
