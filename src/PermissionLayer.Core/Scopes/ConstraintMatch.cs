using PermissionLayer.Core.Requests;

namespace PermissionLayer.Core.Scopes;

/// <summary>FHIR search semantics for scope constraints: values OR'ed, any repetition of the element may match.</summary>
internal static class ConstraintMatch
{
    public static bool Matches(ScopeConstraint constraint, ResourceFacts facts) => constraint.Parameter switch
    {
        "category" => AnyToken(facts.Category, constraint.AnyOf),
        "code" => AnyToken(facts.Code, constraint.AnyOf),
        "_tag" => AnyToken(facts.Tag, constraint.AnyOf),
        "_security" => AnyToken(facts.Security, constraint.AnyOf),
        "status" => facts.Status is not null && constraint.AnyOf.Contains(facts.Status, StringComparer.Ordinal),
        _ => false, // the parser admits no other parameter; an unknown one never matches (fail closed)
    };

    private static bool AnyToken(IReadOnlyList<Token> data, IReadOnlyList<string> criteria) =>
        data.Any(value => criteria.Any(criterion => value.Satisfies(Token.Parse(criterion))));
}
