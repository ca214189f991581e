using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Requests;

namespace PermissionLayer.Core.Scopes;

/// <summary>
/// Searches are permitted with an obligation: the OR over applicable scopes of (compartment AND
/// constraints), which the FHIR server applies inside its query, plus <c>_type</c> for system level.
/// </summary>
internal static class SearchScopes
{
    public static ScopeDecision Evaluate(IReadOnlyList<ResourceScope> candidates, ScopeRequest request, bool systemLevel)
    {
        var requestedTypes = systemLevel ? request.Query.Types : null;
        var targeted = request.Query.TargetedPatients(request.ResourceType);
        ScopeFailure? firstFailure = null;
        var branches = new List<SearchFilterBranch>();
        foreach (var scope in candidates)
        {
            if (requestedTypes is not null && scope.ResourceType != ResourceScope.AnyType && !requestedTypes.Contains(scope.ResourceType))
            {
                continue;
            }
            string? compartment = null;
            if (scope.Context == ScopeContext.Patient)
            {
                if (request.LaunchPatient is null)
                {
                    firstFailure ??= new ScopeFailure("scope.no-launch-patient",
                        $"'{scope.Text}' is a patient/ scope and the token has no launch patient, so it grants nothing", scope.Text);
                    continue;
                }
                if (targeted.FirstOrDefault(t => t != request.LaunchPatient) is { } other)
                {
                    firstFailure ??= new ScopeFailure("scope.other-patient",
                        $"the search targets Patient/{other}, outside the launch patient Patient/{request.LaunchPatient} of '{scope.Text}'", scope.Text);
                    continue;
                }
                compartment = request.LaunchPatient;
            }
            var type = systemLevel ? scope.ResourceType : request.ResourceType;
            branches.Add(new SearchFilterBranch(scope.Text, scope.Context, type, compartment, scope.Constraints));
        }
        if (branches.Count == 0)
        {
            return firstFailure is null
                ? ScopeEvaluator.Deny("scope.type-not-covered",
                    $"none of the requested types ({string.Join(",", requestedTypes ?? [])}) is covered by a scope with 's'", null)
                : ScopeEvaluator.Deny(firstFailure.Code, firstFailure.Message, firstFailure.Scope);
        }
        var kept = Simplify(branches);
        var filter = new SearchFilter(kept, systemLevel ? Types(kept, requestedTypes) : null);
        var reason = DecisionReason.Permit(DecisionTerm.Scope, "scope.permit-filtered",
            $"{request.Interaction.ToName()} on {request.ResourceType} is permitted by {string.Join(", ", kept.Select(b => $"'{b.Scope}'"))}; " +
            $"the server must apply the filter {filter}", string.Join(" ", kept.Select(b => b.Scope)));
        return new ScopeDecision(Outcome.Permit, reason, kept.Select(b => b.Context).ToHashSet(), filter);
    }

    /// <summary>Drops branches another unconstrained branch of the same context and compartment already covers.</summary>
    private static IReadOnlyList<SearchFilterBranch> Simplify(List<SearchFilterBranch> branches) =>
        branches.Where((branch, index) => !branches.Where((_, other) => other != index).Any(wider =>
                wider.AllOf.Count == 0 && wider.Context == branch.Context && wider.CompartmentPatient == branch.CompartmentPatient
                && (wider.ResourceType == ResourceScope.AnyType || wider.ResourceType == branch.ResourceType)
                && (branch.AllOf.Count > 0 || wider.ResourceType != branch.ResourceType || branches.IndexOf(wider) < index)))
            .ToList();

    private static IReadOnlyList<string>? Types(IReadOnlyList<SearchFilterBranch> branches, IReadOnlyList<string>? requested)
    {
        var wildcard = branches.Any(b => b.ResourceType == ResourceScope.AnyType);
        if (requested is not null)
        {
            return wildcard ? requested : requested.Where(t => branches.Any(b => b.ResourceType == t)).ToList();
        }
        return wildcard ? null : branches.Select(b => b.ResourceType).Distinct().Order(StringComparer.Ordinal).ToList();
    }
}
