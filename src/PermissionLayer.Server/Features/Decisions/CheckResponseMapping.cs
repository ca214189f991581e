using PermissionLayer.Contracts.V1;
using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Obligations;
using PermissionLayer.Grains.Decisions;
using CoreOutcome = PermissionLayer.Core.Decisions.Outcome;
using WireOutcome = PermissionLayer.Contracts.V1.Outcome;

namespace PermissionLayer.Server.Features.Decisions;

internal static class CheckResponseMapping
{
    public static CheckResponse ToResponse(DecisionOutcome outcome, Guid decisionId)
    {
        var response = new CheckResponse
        {
            DecisionId = decisionId.ToString(),
            Outcome = ToWire(outcome.Decision.Outcome),
            Revision = outcome.Revision,
            Obligation = outcome.Patients is { } patients
                && ResultObligation.Of(new DecisionResult(outcome.Decision, outcome.Filter, patients, outcome.Privacy)) is { } obligation
                ? SearchObligationMapping.ToWire(obligation, patients)
                : null,
            BreakGlass = outcome.BreakGlass,
            BreakGlassObligation = outcome.Privacy?.BreakGlass is { } glass && outcome.Decision.Outcome == CoreOutcome.Permit
                ? ToWire(glass)
                : null,
        };
        response.Reasons.AddRange(outcome.Decision.Reasons.Select(r => ToWire(r, outcome.Decision.Outcome)));
        return response;
    }

    private static BreakGlassObligation ToWire(BreakGlass glass)
    {
        var obligation = new BreakGlassObligation { Reason = glass.Reason, Purpose = glass.Purpose, Notice = glass.Notice };
        obligation.Lifted.AddRange(glass.Lifted);
        return obligation;
    }

    private static Reason ToWire(DecisionReason reason, CoreOutcome decision) => new()
    {
        Term = reason.Term switch
        {
            DecisionTerm.Scope => Term.Scope,
            DecisionTerm.Client => Term.Client,
            DecisionTerm.User => Term.User,
            DecisionTerm.Consent => Term.Consent,
            DecisionTerm.Labels => Term.Labels,
            DecisionTerm.Request => Term.Request,
            _ => Term.Unspecified,
        },
        Outcome = ToWire(reason.Outcome),
        Code = reason.Code,
        // The FHIR server may show these to the user: the words that disclose nothing they protect.
        Message = UserSafeMessage.Of(reason, decision),
        Source = UserSafeMessage.SourceOf(reason) ?? "",
    };

    private static WireOutcome ToWire(CoreOutcome outcome) =>
        outcome == CoreOutcome.Permit ? WireOutcome.Permit : WireOutcome.Deny;
}
