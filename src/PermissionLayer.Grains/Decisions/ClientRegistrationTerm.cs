using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Scopes;

namespace PermissionLayer.Grains.Decisions;

/// <summary>
/// The client's registration, applied before the scopes are evaluated: a suspended client is
/// denied outright, and token scopes beyond the registered ceiling are ignored. A client that was
/// never registered is bounded by its grants alone (it reaches nobody until an admin grants it).
/// </summary>
internal static class ClientRegistrationTerm
{
    public sealed record Applied(ScopeSet Scopes, DecisionReason? Reason);

    public static async Task<Applied> ApplyAsync(EntitlementReads reads, ScopeParser parser, string clientId, ScopeSet token)
    {
        if (await reads.RegistrationAsync(clientId) is not { } registration)
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
