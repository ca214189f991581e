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
    public static IReadOnlyList<EntitlementTerm> For(TokenContext token, IReadOnlySet<ScopeContext> contexts, List<DecisionReason> reasons)
    {
        var terms = new List<EntitlementTerm> { new(DecisionTerm.Client, PrincipalRef.ForClient(token.ClientId)) };
        if (!contexts.Contains(ScopeContext.Patient) && !contexts.Contains(ScopeContext.User))
        {
            return terms;
        }
        if (token.FhirUser is not { } user)
        {
            reasons.Add(DecisionReason.Deny(DecisionTerm.User, "user.missing",
                "a patient/ or user/ scope applies, and the token names no fhirUser whose entitlements could be checked"));
            return terms;
        }
        if (!PrincipalRef.TryParse(user, out var parsed))
        {
            throw new RequestValidationException("token.fhir_user", Principal.Validate(user)!);
        }
        terms.Add(new EntitlementTerm(DecisionTerm.User, parsed));
        return terms;
    }
}
