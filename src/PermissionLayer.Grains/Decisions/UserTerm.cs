using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Core.References;
using PermissionLayer.Core.Requests;
using PermissionLayer.Grains.Abstractions.Principals;

namespace PermissionLayer.Grains.Decisions;

/// <summary>
/// The user term: the fhirUser's own entitlements (panel grants, and for a patient user their own
/// compartment) must reach every patient the request touches.
/// </summary>
internal static class UserTerm
{
    public static async Task<DecisionReason> EvaluateAsync(
        IGrainFactory grains, DecisionRequest request, IReadOnlyList<string> patients, DataActions required,
        DateTimeOffset at, string? purpose)
    {
        var user = request.Token.FhirUser;
        if (user is null || !FhirReference.TryParse(user, out _))
        {
            return DecisionReason.Deny(DecisionTerm.User, "user.missing", "the token names no fhirUser, so no user entitlement applies");
        }
        if (patients.Count == 0)
        {
            return DecisionReason.Deny(DecisionTerm.User, "user.no-patient",
                "the request names no patient compartment, so no user entitlement can be matched");
        }
        var answer = await grains.GetGrain<IPrincipalGrain>(user)
            .Authorize(new AccessQuestion(patients, required.ToLetters(), request.ResourceType, purpose, at));
        if (answer.Permitted)
        {
            var grants = string.Join(", ", answer.Patients.Select(p => p.GrantId).Distinct());
            return DecisionReason.Permit(DecisionTerm.User, "grant.match",
                string.Join("; ", answer.Patients.Select(p => p.Explanation)), grants);
        }
        var missing = answer.Patients.First(p => !p.Permitted);
        return DecisionReason.Deny(DecisionTerm.User, "grant.missing", missing.Explanation, user);
    }
}
