namespace PermissionLayer.Core.Scopes;

/// <summary>
/// A resource scope is malformed. The whole token is refused (fail closed): a scope that cannot be
/// read must never grant what it appears to say. <see cref="Scope"/> is the offending scope.
/// </summary>
public sealed class ScopeFormatException(string scope, string problem) : Exception($"scope '{scope}': {problem}")
{
    public string Scope { get; } = scope;
}
