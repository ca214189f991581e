using PermissionLayer.Contracts.V1;

namespace PermissionLayer.Client;

/// <summary>Why one term of the decision permitted or denied, in words a privacy officer can read.</summary>
/// <param name="Term">The term (scope, client, user, consent, labels, request).</param>
/// <param name="Permits">Whether this term permitted.</param>
/// <param name="Code">A stable machine code, e.g. <c>user.no-grant</c>: branch on this, not on the message.</param>
/// <param name="Message">The explanation in plain words; safe to show to the user of the FHIR app.</param>
/// <param name="Source">What decided: a grant id, a scope, a consent provision. Empty when nothing did.</param>
public sealed record CheckReason(Term Term, bool Permits, string Code, string Message, string Source)
{
    public static CheckReason From(Reason reason) =>
        new(reason.Term, reason.Outcome == Outcome.Permit, reason.Code, reason.Message, reason.Source);
}
