using PermissionLayer.Client.Obligations;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Core.Obligations;

namespace PermissionLayer.Client;

/// <summary>
/// A decision, typed for the enforcement point. Only <see cref="IsPermitted"/> may open the door;
/// anything PermissionLayer did not explicitly permit is a deny.
/// </summary>
/// <param name="IsPermitted">True only for an explicit PERMIT.</param>
/// <param name="Reasons">The reasons term by term, in the order the server gave them.</param>
/// <param name="DecisionId">The audit row id: log it with the FHIR request so the two can be joined.</param>
/// <param name="Revision">The entitlement revision the decision was evaluated at.</param>
/// <param name="Response">The wire response, for anything this type does not surface (e.g. obligations).</param>
public sealed record CheckResult(
    bool IsPermitted,
    IReadOnlyList<CheckReason> Reasons,
    string DecisionId,
    long Revision,
    CheckResponse Response)
{
    /// <summary>
    /// The reason that decided a deny (the first DENY reason, as the protocol defines); null for a
    /// permit, and for a deny the server gave no reason for.
    /// </summary>
    public CheckReason? DecidingReason => IsPermitted ? null : Reasons.FirstOrDefault(r => !r.Permits);

    /// <summary>
    /// For a permitted search: whether one of its results may be returned; for a permitted conditional
    /// write: whether the resource its criteria matched may be returned, changed or deleted
    /// (<see cref="SearchResultAdmission"/>). Anything without an obligation admits nothing.
    /// </summary>
    public Admission AdmitResult(string resourceType, ResourceFacts facts) =>
        IsPermitted && Response.Obligation is { } obligation
            ? SearchResultAdmission.Admit(obligation, resourceType, facts)
            : Admission.Deny("result.no-obligation", "only a permitted search's or conditional write's obligation admits results");

    /// <summary>Wraps a wire response; an unspecified outcome counts as a deny.</summary>
    public static CheckResult From(CheckResponse response) => new(
        response.Outcome == Outcome.Permit,
        response.Reasons.Select(CheckReason.From).ToList(),
        response.DecisionId,
        response.Revision,
        response);
}
