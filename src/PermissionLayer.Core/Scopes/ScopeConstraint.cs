namespace PermissionLayer.Core.Scopes;

/// <summary>
/// One granular constraint of a scope (<c>category=a,b</c>): the data must match one of the values.
/// A scope's constraints are AND'ed.
/// </summary>
public sealed record ScopeConstraint(string Parameter, IReadOnlyList<string> AnyOf)
{
    public override string ToString() => $"{Parameter}={string.Join(',', AnyOf)}";
}
