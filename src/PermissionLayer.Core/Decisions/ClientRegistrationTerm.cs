using PermissionLayer.Core.Scopes;

namespace PermissionLayer.Core.Decisions;

/// <summary>
/// The client's registration, applied before the scopes are evaluated: a suspended client is
/// denied outright, and token scopes beyond the registered ceiling are ignored. A client that was
/// never registered is bounded by its grants alone (it reaches nobody until an admin grants it).
/// </summary>
public static class ClientRegistrationTerm
{
    /// <summary>The scopes that count, and the client term's reason (a deny when suspended; a permit noting what the ceiling cut).</summary>
    public sealed record Applied(ScopeSet Scopes, DecisionReason? Reason);

    public static Applied Apply(string clientId, ClientStanding? registration, ScopeParser parser, ScopeSet token)
    {
        if (registration is null)
        {
            return new Applied(token, null);
        }
        if (!registration.IsActive)
        {
            return new Applied(token, DecisionReason.Deny(DecisionTerm.Client, "client.suspended",
                $"client '{clientId}' is registered as {registration.Status}", $"Client/{clientId}"));
        }
        var kept = ScopeCeiling.Restrict(token, parser.Parse(registration.ScopeCeiling), out var beyond);
        var reason = beyond.Count == 0
            ? null
            : DecisionReason.Permit(DecisionTerm.Client, "client.ceiling",
                $"scopes beyond client '{clientId}''s registered ceiling are ignored: {string.Join(' ', beyond.Select(s => s.Text))}",
                registration.ScopeCeiling);
        return new Applied(kept, reason);
    }
}
