using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Scopes;
using PermissionLayer.Fhir.Resources;

namespace PermissionLayer.Fhir.Tests.Scopes;

/// <summary>Every row of ../shared/data/smart-scope-examples.tsv against its `recommended` outcome and obligation.</summary>
public sealed class SharedScopeExamplesTests
{
    private static readonly ScopeParser Parser = new(R4ResourceTypes.Instance);

    public static TheoryData<SharedScopeExample> Rows() => [.. SharedScopeExample.All()];

    [Theory]
    [MemberData(nameof(Rows))]
    public void Outcome_matches_the_recommended_column(SharedScopeExample row)
    {
        string outcome;
        ScopeDecision? decision = null;
        try
        {
            decision = ScopeEvaluator.Evaluate(Parser.Parse(row.Scopes), row.ToRequest());
            outcome = decision.Outcome == Outcome.Permit ? "permit" : "deny";
        }
        catch (ScopeFormatException e)
        {
            outcome = "error";
            Assert.False(string.IsNullOrEmpty(e.Scope));
            Assert.Contains(e.Scope, row.Scopes);
        }
        Assert.Equal(row.Recommended, outcome);
        if (outcome == "permit" && row.Obligation.Contains("compartment=Patient/", StringComparison.Ordinal))
        {
            var filter = Assert.IsType<SearchFilter>(decision!.Filter);
            var patient = row.Obligation.Split("compartment=Patient/")[1].Split(';', ' ')[0];
            Assert.All(filter.AnyOf, b => Assert.Equal(patient, b.CompartmentPatient));
        }
        if (outcome == "permit" && row.Obligation.Contains("_type=", StringComparison.Ordinal))
        {
            var types = row.Obligation.Split("_type=")[1].Split(';', ' ')[0].Split(',');
            Assert.Equal(types, decision!.Filter!.Types);
        }
    }

    [Fact]
    public void The_table_has_all_its_rows()
    {
        Assert.Equal(37, SharedScopeExample.All().Count());
    }
}
