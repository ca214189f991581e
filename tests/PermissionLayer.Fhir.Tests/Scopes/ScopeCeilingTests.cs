using PermissionLayer.Core.Scopes;

namespace PermissionLayer.Fhir.Tests.Scopes;

/// <summary>A client's registered ceiling: which token scopes it covers, and what is left of a token.</summary>
public sealed class ScopeCeilingTests
{
    [Theory]
    [InlineData("user/*.rs", "user/Observation.rs", true)]
    [InlineData("user/*.rs", "user/Observation.r", true)]
    [InlineData("user/*.rs", "user/Observation.rs?category=laboratory", true)]
    [InlineData("user/Observation.rs", "user/Observation.rs", true)]
    [InlineData("user/Observation.rs", "user/Condition.rs", false)]
    [InlineData("user/Observation.rs", "user/*.rs", false)]
    [InlineData("user/*.rs", "user/Observation.cruds", false)]
    [InlineData("user/*.rs", "patient/Observation.rs", false)]
    [InlineData("user/*.rs", "system/Observation.rs", false)]
    [InlineData("user/Observation.rs?category=laboratory", "user/Observation.rs", false)]
    [InlineData("user/Observation.rs?category=laboratory", "user/Observation.rs?category=laboratory", true)]
    [InlineData("user/Observation.rs?category=laboratory,vital-signs", "user/Observation.rs?category=vital-signs", true)]
    [InlineData("user/Observation.rs?category=laboratory", "user/Observation.rs?category=laboratory,vital-signs", false)]
    [InlineData("user/Observation.rs?category=laboratory", "user/Observation.rs?category=laboratory&status=final", true)]
    [InlineData("user/Observation.read", "user/Observation.rs", true)]
    public void Covers_a_token_scope_only_when_it_permits_everything_the_scope_could(string ceiling, string scope, bool covered)
    {
        var limit = ScopeRules.Parser.Parse(ceiling).Scopes.Single();
        var asked = ScopeRules.Parser.Parse(scope).Scopes.Single();
        Assert.Equal(covered, ScopeCeiling.Covers(limit, asked));
    }

    [Fact]
    public void Restrict_keeps_the_covered_scopes_and_reports_the_rest()
    {
        var token = ScopeRules.Parser.Parse("openid fhirUser user/Patient.rs user/Observation.rs patient/Condition.rs");
        var ceiling = ScopeRules.Parser.Parse("user/Patient.rs patient/*.rs");

        var kept = ScopeCeiling.Restrict(token, ceiling, out var beyond);

        Assert.Equal(["user/Patient.rs", "patient/Condition.rs"], kept.Scopes.Select(s => s.Text));
        Assert.Equal("user/Observation.rs", Assert.Single(beyond).Text);
    }

    [Fact]
    public void Restrict_returns_the_token_itself_when_nothing_is_beyond_the_ceiling()
    {
        var token = ScopeRules.Parser.Parse("user/Patient.rs");
        Assert.Same(token, ScopeCeiling.Restrict(token, ScopeRules.Parser.Parse("user/*.cruds"), out var beyond));
        Assert.Empty(beyond);
    }
}
