namespace PermissionLayer.Core.Scopes;

/// <summary>Whose data a resource scope is about: the launch patient's, the user's, or the client's own.</summary>
public enum ScopeContext
{
    Patient,
    User,
    System,
}
