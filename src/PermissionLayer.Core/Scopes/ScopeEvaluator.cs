using PermissionLayer.Core.Compartments;
using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Core.Requests;

namespace PermissionLayer.Core.Scopes;

/// <summary>
/// The delegation term. Each (interaction, scope) pair is evaluated on its own and the results are
/// OR'ed: letters and constraints are never merged across scopes.
/// </summary>
public static class ScopeEvaluator
{
    public static ScopeDecision Evaluate(ScopeSet scopes, ScopeRequest request)
    {
        var required = ActionLetters.Required(request.Interaction, request.Conditional);
        var systemLevel = request.Interaction is Interaction.SearchSystem or Interaction.HistorySystem || request.ResourceType == ResourceScope.AnyType;
        var candidates = scopes.Scopes
            .Where(s => (s.Actions & required) == required && (systemLevel || s.CoversType(request.ResourceType)))
            .ToList();
        if (candidates.Count == 0)
        {
            return Deny("scope.missing",
                $"no scope in the token grants '{required.ToLetters()}' on {request.ResourceType} (granted: '{scopes.Text}')", scopes.Text);
        }
        return request.Interaction is Interaction.SearchType or Interaction.SearchSystem or Interaction.HistoryType or Interaction.HistorySystem
            ? SearchScopes.Evaluate(candidates, request, systemLevel)
            : EvaluateInstance(candidates, request);
    }

    private static ScopeDecision EvaluateInstance(IReadOnlyList<ResourceScope> candidates, ScopeRequest request)
    {
        ScopeFailure? firstFailure = null;
        ResourceScope? permitting = null;
        var contexts = new HashSet<ScopeContext>();
        foreach (var scope in candidates)
        {
            if (InstanceCheck.Failure(scope, request) is { } failure)
            {
                firstFailure ??= failure;
                continue;
            }
            permitting ??= scope;
            contexts.Add(scope.Context);
        }
        if (permitting is null)
        {
            return Deny(firstFailure!.Code, firstFailure.Message, firstFailure.Scope);
        }
        var reason = DecisionReason.Permit(DecisionTerm.Scope, "scope.permit",
            $"'{permitting.Text}' permits {request.Interaction.ToName()} on {request.ResourceType}", permitting.Text);
        return new ScopeDecision(Outcome.Permit, reason, contexts, null);
    }

    internal static ScopeDecision Deny(string code, string message, string? source) =>
        new(Outcome.Deny, DecisionReason.Deny(DecisionTerm.Scope, code, message, source), new HashSet<ScopeContext>(), null);
}
