using PermissionLayer.Core.Compartments;
using PermissionLayer.Core.Requests;

namespace PermissionLayer.Core.Scopes;

/// <summary>
/// One scope against an instance-level request: read/delete check the stored resource, create the
/// new body, update and patch both.
/// </summary>
internal static class InstanceCheck
{
    public static ScopeFailure? Failure(ResourceScope scope, ScopeRequest request)
    {
        IReadOnlyList<ResourceFacts?> states = request.Interaction switch
        {
            Interaction.Create => [request.Proposed],
            Interaction.Update or Interaction.Patch => request.Stored is null ? [request.Proposed] : [request.Stored, request.Proposed],
            _ => [request.Stored],
        };
        if (scope.Context == ScopeContext.Patient && Compartment(scope, request, states) is { } compartmentFailure)
        {
            return compartmentFailure;
        }
        foreach (var constraint in scope.Constraints)
        {
            foreach (var facts in states)
            {
                if (facts is null)
                {
                    return new ScopeFailure("scope.facts-missing",
                        $"'{scope.Text}' is constrained by {constraint.Parameter}, and the request carries no facts to check it against", scope.Text);
                }
                if (!ConstraintMatch.Matches(constraint, facts))
                {
                    return new ScopeFailure("scope.constraint-mismatch",
                        $"'{scope.Text}' requires {constraint}, which the resource does not match", scope.Text);
                }
            }
        }
        return null;
    }

    private static ScopeFailure? Compartment(ResourceScope scope, ScopeRequest request, IReadOnlyList<ResourceFacts?> states)
    {
        if (request.LaunchPatient is not { } patient)
        {
            return new ScopeFailure("scope.no-launch-patient",
                $"'{scope.Text}' is a patient/ scope and the token has no launch patient, so it grants nothing", scope.Text);
        }
        if (!PatientCompartment.R4.Contains(request.ResourceType))
        {
            return PatientCompartment.SharedTypes.Contains(request.ResourceType)
                ? null
                : new ScopeFailure("scope.compartment", $"{request.ResourceType} is never in a patient's compartment, so '{scope.Text}' does not reach it", scope.Text);
        }
        foreach (var facts in states)
        {
            if (facts is null || !facts.Patients.Contains(patient))
            {
                return new ScopeFailure("scope.compartment",
                    $"the {request.ResourceType} is not in the compartment of the launch patient Patient/{patient} ('{scope.Text}')", scope.Text);
            }
        }
        return null;
    }
}
