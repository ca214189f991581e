namespace PermissionLayer.Server.Hosting;

/// <summary>The configuration is unusable; the message lists every bad setting by name.</summary>
public sealed class InvalidConfigurationException(IReadOnlyList<string> errors)
    : Exception("invalid configuration:\n  " + string.Join("\n  ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
