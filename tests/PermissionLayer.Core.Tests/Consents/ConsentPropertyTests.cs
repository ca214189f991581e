using CsCheck;
using PermissionLayer.Core.Consents;
using PermissionLayer.Core.Decisions;
using static PermissionLayer.Core.Tests.Consents.ConsentTrees;

namespace PermissionLayer.Core.Tests.Consents;

/// <summary>Invariants of the consent term over generated provision trees and requests.</summary>
public sealed class ConsentPropertyTests
{
    private const string Conf = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality|";

    /// <summary>A provision that states one element (or none), so that trees mix matching and non-matching nodes.</summary>
    private static readonly Gen<ConsentProvision> LeafGen =
        from permit in Gen.Bool
        from element in Gen.Int[0, 4]
        select Criterion(permit ? Permit() : Deny(), element);

    private static readonly Gen<ConsentProvision> TreeGen =
        from node in LeafGen
        from children in LeafGen.Array[0, 3]
        from grandchildren in LeafGen.Array[0, 2]
        select node with { Children = [.. children.Select((c, i) => i == 0 ? c with { Children = grandchildren } : c)] };

    private static readonly Gen<ConsentRequest> RequestGen =
        from user in Gen.OneOfConst("Practitioner/a", "Practitioner/b")
        from org in Gen.OneOfConst("Organization/o1", "Organization/o2")
        from purpose in Gen.OneOfConst("TREAT", "HRESCH")
        from type in Gen.OneOfConst("Observation", "Condition")
        from label in Gen.OneOfConst("N", "R", "V")
        from search in Gen.Bool
        select Request(user, type, purpose, [org], [Conf + label], search: search);

    [Fact]
    public void Adding_a_deny_provision_never_turns_a_deny_into_a_permit() =>
        Gen.Select(Gen.Bool, TreeGen.Array[0, 3], LeafGen, RequestGen).Sample((optIn, trees, extra, request) =>
        {
            var rule = optIn ? ConsentPolicyRule.OptIn : ConsentPolicyRule.OptOut;
            var before = ConsentEvaluator.Evaluate("p1", [Consent("c", rule, trees)], request, ConsentPolicyRule.OptIn);
            var deny = extra with { Type = ProvisionType.Deny };
            var after = ConsentEvaluator.Evaluate("p1", [Consent("c", rule, [.. trees, deny])], request, ConsentPolicyRule.OptIn);
            if (before.Reason.Outcome == Outcome.Deny)
            {
                Assert.Equal(Outcome.Deny, after.Reason.Outcome);
            }
        });

    [Fact]
    public void A_search_is_never_permitted_where_some_data_of_the_same_request_would_be_denied_without_an_exclusion() =>
        Gen.Select(Gen.Bool, TreeGen.Array[0, 3], RequestGen).Sample((optIn, trees, request) =>
        {
            var rule = optIn ? ConsentPolicyRule.OptIn : ConsentPolicyRule.OptOut;
            var consent = Consent("c", rule, trees);
            var search = ConsentEvaluator.Evaluate("p1", [consent], request with { DataUnknown = true }, ConsentPolicyRule.OptIn);
            var read = ConsentEvaluator.Evaluate("p1", [consent], request with { DataUnknown = false }, ConsentPolicyRule.OptIn);
            // Trees here carry no sensitivity labels, so a permitted search excludes nothing, and every
            // read it could return must be permitted too.
            if (search.Permitted)
            {
                Assert.True(read.Permitted);
            }
        });

    private static ConsentProvision Criterion(ConsentProvision p, int element) => element switch
    {
        1 => p.Actor("Organization/o1"),
        2 => p.Purpose("HRESCH"),
        3 => p.Class("Observation"),
        4 => p.Label(Conf + "R"),
        _ => p,
    };
}
