using PermissionLayer.Core.Entitlements;

namespace PermissionLayer.Core.Scopes;

/// <summary>One parsed resource scope, with v1 suffixes already normalised to v2 letters.</summary>
public sealed record ResourceScope(string Text, ScopeContext Context, string ResourceType, DataActions Actions, IReadOnlyList<ScopeConstraint> Constraints)
{
    public const string AnyType = "*";

    public bool CoversType(string resourceType) => ResourceType == AnyType || ResourceType == resourceType;
}
