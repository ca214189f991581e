using CsCheck;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Core.Requests;
using PermissionLayer.Core.Scopes;
using static PermissionLayer.Fhir.Tests.Scopes.ScopeRules;

namespace PermissionLayer.Fhir.Tests.Scopes;

/// <summary>Invariants of the scope term, over generated scopes and requests.</summary>
public sealed class ScopePropertyTests
{
    private static readonly string[] Types = ["Observation", "Condition", "Patient", "*"];
    private static readonly Interaction[] Interactions = Enum.GetValues<Interaction>();
    private static readonly string[] Categories =
        ["http://terminology.hl7.org/CodeSystem/observation-category|laboratory", "http://terminology.hl7.org/CodeSystem/observation-category|vital-signs"];

    private static readonly Gen<string> ResourceScopeGen =
        from context in Gen.OneOfConst("patient", "user", "system")
        from type in Gen.OneOfConst(Types)
        from letters in Gen.Int[1, 31].Select(bits => ((DataActions)bits).ToLetters())
        from constrained in Gen.Bool
        from category in Gen.OneOfConst(Categories)
        select $"{context}/{type}.{letters}" + (constrained ? $"?category={category}" : "");

    private static readonly Gen<string> ScopeStringGen = ResourceScopeGen.Array[0, 4].Select(s => string.Join(' ', s));

    private static readonly Gen<(Interaction, string, ResourceFacts, string?)> RequestGen =
        from interaction in Gen.OneOfConst(Interactions)
        from type in Gen.OneOfConst("Observation", "Condition", "Patient")
        from patient in Gen.OneOfConst("123", "456")
        from category in Gen.OneOfConst(Categories)
        from launch in Gen.OneOfConst("123", null)
        select (interaction, type, Facts(patient, category), launch);

    [Fact]
    public void A_scope_never_grants_an_interaction_whose_letter_it_lacks() =>
        Gen.Select(ResourceScopeGen, RequestGen).Sample((scope, request) =>
        {
            var (interaction, type, facts, launch) = request;
            var parsed = Assert.Single(Parser.Parse(scope).Scopes);
            var required = ActionLetters.Required(interaction);
            if ((parsed.Actions & required) != required)
            {
                Assert.False(Permits(scope, interaction, type, launch, facts, facts));
            }
        });

    [Fact]
    public void Adding_a_scope_never_removes_access() =>
        Gen.Select(ScopeStringGen, ResourceScopeGen, RequestGen).Sample((scopes, extra, request) =>
        {
            var (interaction, type, facts, launch) = request;
            if (Permits(scopes, interaction, type, launch, facts, facts))
            {
                Assert.True(Permits($"{scopes} {extra}", interaction, type, launch, facts, facts));
            }
        });

    [Fact]
    public void A_malformed_token_never_grants_anything() =>
        Gen.Select(ScopeStringGen, Gen.OneOfConst("patient/Observation.sr", "user/Nope.rs", "patient/*.rs?x=y", "user/*.r\"s"), RequestGen)
            .Sample((scopes, bad, request) =>
            {
                var (interaction, type, facts, launch) = request;
                Assert.Throws<ScopeFormatException>(() => Permits($"{scopes} {bad}", interaction, type, launch, facts, facts));
            });

    [Fact]
    public void The_parser_throws_nothing_but_its_own_error() =>
        Gen.String.Sample(text =>
        {
            try
            {
                Parser.ParseUncached(text);
            }
            catch (ScopeFormatException)
            {
            }
        }, iter: 20_000);
}
