using PermissionLayer.Core.Consents;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Core.Requests;
using PermissionLayer.Core.Scopes;

namespace PermissionLayer.Core.Decisions;

/// <summary>
/// Everything one decision about named data reads, as immutable values: the request, the token's
/// scopes (after the client's ceiling), the entitlements of the client and of the user, what the
/// patient sets and care teams answer (<see cref="Facts"/>, as their grains would), and each patient's
/// consents. <see cref="DecisionCore.Decide"/> composes the terms over it exactly as the server does.
/// </summary>
public sealed record DecisionSnapshot
{
    public required DecisionRequest Request { get; init; }
    public required ScopeSet Scopes { get; init; }
    public required DateTimeOffset At { get; init; }
    public required EntitlementSnapshot Client { get; init; }
    /// <summary>The token's fhirUser's entitlements; null when the token names none.</summary>
    public EntitlementSnapshot? User { get; init; }
    /// <summary>Answers the walk's asks for a principal, at <see cref="At"/>.</summary>
    public required Func<PrincipalRef, WalkAsks, WalkFacts, WalkFacts> Facts { get; init; }
    public required Func<string, IReadOnlyList<CompiledConsent>> Consents { get; init; }
    public ConsentPolicyRule DefaultRule { get; init; } = ConsentPolicyRule.OptIn;
    public string DefaultPurpose { get; init; } = "TREAT";
    /// <summary>Organizations the user holds a role at (consent actors).</summary>
    public IReadOnlyList<string> UserOrganizations { get; init; } = [];
}
