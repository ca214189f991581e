using PermissionLayer.Core.Consents;
using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Core.Tests.Consents;

namespace PermissionLayer.Core.Tests.Decisions;

/// <summary>
/// A population search's consent term: who is withheld, under each deployment default, and the
/// reasons and restriction that follow (<see cref="PopulationConsent"/>, <see cref="AccessiblePatients.Screened"/>).
/// </summary>
public sealed class PopulationScreenTests
{
    private const string Hiv = "http://terminology.hl7.org/CodeSystem/v3-ActCode|HIV";

    private static readonly Dictionary<string, IReadOnlyList<CompiledConsent>> Consents = new(StringComparer.Ordinal)
    {
        ["denies"] = [ConsentTrees.Consent("c1", ConsentPolicyRule.OptIn, ConsentTrees.Deny())],
        ["permits"] = [ConsentTrees.Consent("c2", ConsentPolicyRule.OptOut, ConsentTrees.Permit())],
        // Withholds some data by label: a search that names no patient leaves the patient out entirely.
        ["hides-hiv"] = [ConsentTrees.Consent("c3", ConsentPolicyRule.OptIn, ConsentTrees.Deny().Label(Hiv))],
    };

    private static readonly IReadOnlyList<string> WithConsents = [.. Consents.Keys.Order(StringComparer.Ordinal)];

    /// <summary>
    /// The consent registry's shards each screen their own patients; the merged screen is the screen of
    /// all of them at once, whichever way the patients are split.
    /// </summary>
    [Theory]
    [InlineData("denies,permits,none", ConsentPolicyRule.OptIn)]
    [InlineData("denies,permits,hides-hiv,none", ConsentPolicyRule.OptOut)]
    [InlineData(null, ConsentPolicyRule.OptIn)]
    [InlineData(null, ConsentPolicyRule.OptOut)]
    public void Screens_of_disjoint_shards_merge_into_the_screen_of_them_all(string? candidates, ConsentPolicyRule rule)
    {
        // And one whose consent withholds only Conditions: let through, but in the carried-check list.
        var consents = new Dictionary<string, IReadOnlyList<CompiledConsent>>(Consents, StringComparer.Ordinal)
        {
            ["denies-conditions"] = [ConsentTrees.Consent("c4", ConsentPolicyRule.OptIn, ConsentTrees.Deny().Class("Condition"))],
        };
        var ordered = consents.Keys.Order(StringComparer.Ordinal).ToList();
        candidates = candidates is null ? null : candidates + ",denies-conditions";
        var whole = PopulationScreen.Of(candidates?.Split(',').Order(StringComparer.Ordinal).ToList(), ordered, p => consents.GetValueOrDefault(p), Question(), rule);
        Assert.Contains("denies-conditions", whole.CarriedWithheld);
        for (var split = 0; split < 1 << ordered.Count; split++)
        {
            // Shard 0 holds the patients whose bit is set, shard 1 the others (a patient without consent is in shard 1).
            bool InFirst(string patient) => ordered.IndexOf(patient) is var i and >= 0 && (split & (1 << i)) != 0;
            var parts = new[] { true, false }.Select(first =>
            {
                var shardConsents = ordered.Where(p => InFirst(p) == first).ToList();
                var shardCandidates = candidates?.Split(',').Where(p => InFirst(p) == first).Order(StringComparer.Ordinal).ToList();
                return PopulationScreen.Of(shardCandidates, shardConsents, p => consents.GetValueOrDefault(p), Question(), rule);
            }).ToList();

            var merged = PopulationScreen.Merge(parts);

            Assert.Equal(whole.Withheld, merged.Withheld);
            Assert.Equal(whole.OnlyPermitted, merged.OnlyPermitted);
            Assert.Equal(whole.PatientsWithConsents, merged.PatientsWithConsents);
            Assert.Equal(whole.CarriedWithheld, merged.CarriedWithheld);
        }
    }

    [Fact]
    public void Screens_that_disagree_on_listing_only_permitted_patients_are_not_merged()
    {
        var listing = new PopulationScreen([], ["permits"], 1);
        var screening = new PopulationScreen(["denies"], null, 1);

        Assert.Throws<InvalidOperationException>(() => PopulationScreen.Merge([listing, screening]));
    }

    [Theory]
    // candidates (null: every patient) | default rule | withheld | only permitted (null: not restricted)
    [InlineData("denies,permits,none", ConsentPolicyRule.OptIn, "denies", null)]
    [InlineData("denies,hides-hiv,none", ConsentPolicyRule.OptIn, "denies,hides-hiv", null)]
    // Under an opt-out default a patient without consent is withheld.
    [InlineData("denies,permits,none", ConsentPolicyRule.OptOut, "denies,none", null)]
    [InlineData(null, ConsentPolicyRule.OptIn, "denies,hides-hiv", null)]
    // Every patient under a default that denies: only those whose consent permits can be reached.
    [InlineData(null, ConsentPolicyRule.OptOut, "", "permits")]
    public void Patients_whose_consent_may_withhold_any_of_the_data_are_screened_out(
        string? candidates, ConsentPolicyRule rule, string withheld, string? onlyPermitted)
    {
        var screen = PopulationScreen.Of(candidates?.Split(','), WithConsents, p => Consents.GetValueOrDefault(p), Question(), rule);
        Assert.Equal(List(withheld), screen.Withheld);
        Assert.Equal(onlyPermitted is null ? null : List(onlyPermitted), screen.OnlyPermitted);
        Assert.Equal(3, screen.PatientsWithConsents);
    }

    [Theory]
    // reached (* = every patient) | withheld | only permitted | restriction's patients | outcome | code
    [InlineData("a,b", "b", null, "a", Outcome.Permit, "consent.withheld")]
    [InlineData("a,b", "", null, "a,b", Outcome.Permit, "consent.screened")]
    [InlineData("a,b", "a,b", null, "", Outcome.Deny, "consent.withholds-all")]
    [InlineData("*", "", "", "", Outcome.Deny, "consent.withholds-all")]
    [InlineData("*", "", "c", "c", Outcome.Permit, "consent.only-consenting")]
    public void The_screen_narrows_the_population_and_a_population_it_empties_is_denied(
        string reached, string withheld, string? onlyPermitted, string patients, Outcome outcome, string code)
    {
        var reach = reached == "*" ? ReachablePatients.Everyone : new ReachablePatients(false, List(reached), ["Group/g1"]);
        var population = AccessiblePatients.Intersect([(DecisionTerm.User, reach)], 7);
        var screen = new PopulationScreen(List(withheld), onlyPermitted is null ? null : List(onlyPermitted), 2);
        var screened = population.Screened(screen);
        var reason = PopulationConsent.Reason(population, screened, screen);
        Assert.Equal((patients, outcome, code), (string.Join(",", screened.Patients), reason.Outcome, reason.Code));
        Assert.False(screened.Admits("z"), "a patient no term reaches is never admitted");
        Assert.All(List(withheld), p => Assert.False(screened.Admits(p)));
    }

    private static ConsentRequest Question() => new()
    {
        Actors = new HashSet<string>(StringComparer.Ordinal) { "Practitioner/u", "Device/app" },
        Actions = ConsentActions.Of(Core.Requests.Interaction.SearchType),
        Purpose = "TREAT",
        ResourceType = "Observation",
        At = ConsentTrees.Now,
        DataUnknown = true,
    };

    private static IReadOnlyList<string> List(string csv) => csv.Length == 0 ? [] : csv.Split(',');
}
