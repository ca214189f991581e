using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Grains.Abstractions.Principals;

namespace PermissionLayer.Grains.Decisions;

/// <summary>
/// An entitlement term: the user's (panel, groups, own compartment) or the client app's
/// (registration grants, e.g. "Group/g9245 only") grants must reach every patient the request touches.
/// </summary>
internal sealed record EntitlementTerm(DecisionTerm Term, PrincipalRef Principal)
{
    /// <summary>
    /// Asks the principal's grain; with <paramref name="withProfile"/> the same call also brings back its
    /// requester profile (the principal is the privacy terms' holder).
    /// </summary>
    public async Task<(DecisionReason Reason, RequesterProfile? Profile)> EvaluateAsync(
        EntitlementReads reads, IReadOnlyList<string> patients, DataActions required, string resourceType, string? purpose, DateTimeOffset at,
        bool withProfile)
    {
        var answer = await reads.AuthorizeAsync(Principal.ToString(), new AccessQuestion(patients, required, resourceType, purpose, at, withProfile));
        var reached = answer.Patients.Select(p => new PatientReach(p.Patient, p.GrantId, p.Explanation)).ToList();
        return (DecisionCore.EntitlementReason(Term, Principal, reached), answer.Profile);
    }
}
