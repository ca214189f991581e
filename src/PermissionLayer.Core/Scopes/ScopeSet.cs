namespace PermissionLayer.Core.Scopes;

/// <summary>
/// The resource scopes of a token, immutable. Non-resource and extension scopes are dropped at
/// parse time: they grant no data access.
/// </summary>
public sealed class ScopeSet(string text, IReadOnlyList<ResourceScope> scopes)
{
    public string Text { get; } = text;
    public IReadOnlyList<ResourceScope> Scopes { get; } = scopes;
}
