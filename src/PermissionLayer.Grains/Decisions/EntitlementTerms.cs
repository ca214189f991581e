using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Core.Requests;
using PermissionLayer.Core.Scopes;

namespace PermissionLayer.Grains.Decisions;

/// <summary>Which entitlement terms a token's permitting scope contexts bring in.</summary>
internal static class EntitlementTerms
{
    /// <summary>
    /// The client term always applies. The user term applies when a patient/ or user/ scope
    /// permitted; a token without a fhirUser then gets a deny reason added to <paramref name="reasons"/>.
    /// system/ scopes have no user term.
    /// </summary>
    public static IReadOnlyList<EntitlementTerm> For(TokenContext token, IReadOnlySet<ScopeContext> contexts, List<DecisionReason> reasons) =>
        [.. DecisionCore.Terms(token, contexts, reasons).Select(t => new EntitlementTerm(t.Term, t.Principal))];
}
