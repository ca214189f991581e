namespace PermissionLayer.Core.Scopes;

/// <summary>
/// A client registration's ceiling: the most a token issued to that client may carry. Token scopes
/// the ceiling does not cover are ignored (they grant nothing), whatever the authorization server
/// put in the token — a mis-issued or replayed broad token cannot reach beyond the registration.
/// </summary>
public static class ScopeCeiling
{
    /// <summary>The token's scopes that the ceiling covers; <paramref name="beyond"/> gets the others.</summary>
    public static ScopeSet Restrict(ScopeSet token, ScopeSet ceiling, out IReadOnlyList<ResourceScope> beyond)
    {
        var kept = new List<ResourceScope>();
        var dropped = new List<ResourceScope>();
        foreach (var scope in token.Scopes)
        {
            (ceiling.Scopes.Any(c => Covers(c, scope)) ? kept : dropped).Add(scope);
        }
        beyond = dropped;
        return dropped.Count == 0 ? token : new ScopeSet(string.Join(' ', kept.Select(s => s.Text)), kept);
    }

    /// <summary>
    /// Whether everything <paramref name="scope"/> can permit, <paramref name="ceiling"/> permits too:
    /// same context, a type the ceiling names (or its wildcard), no letter beyond the ceiling's, and
    /// every constraint of the ceiling at least as narrow in the scope.
    /// </summary>
    public static bool Covers(ResourceScope ceiling, ResourceScope scope) =>
        ceiling.Context == scope.Context
        && ceiling.CoversType(scope.ResourceType)
        && (scope.Actions & ~ceiling.Actions) == 0
        && ceiling.Constraints.All(limit => scope.Constraints.Any(c =>
            c.Parameter == limit.Parameter && c.AnyOf.All(v => limit.AnyOf.Contains(v, StringComparer.Ordinal))));
}
