using CsCheck;
using PermissionLayer.Core.Consents;
using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Requests;
using static PermissionLayer.Core.Tests.Consents.ConsentShow;
using static PermissionLayer.Core.Tests.Consents.ConsentTrees;

namespace PermissionLayer.Core.Tests.Consents;

/// <summary>Invariants of the consent term over generated provision trees and requests.</summary>
public sealed class ConsentPropertyTests
{
    private const string Conf = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality|";
    private const string Act = "http://terminology.hl7.org/CodeSystem/v3-ActCode|";
    private const string Loinc = "http://loinc.org|";

    private const int Iterations = 2000;

    /// <summary>
    /// One element a provision may state. Values overlap with <see cref="RequestGen"/>'s, written in
    /// several valid ways (alias systems, bare codes), so that trees mix matching, non-matching and
    /// maybe-matching nodes.
    /// </summary>
    private static ConsentProvision Criterion(ConsentProvision p, int element) => element switch
    {
        1 => p.Actor("Organization/o1"),
        2 => p.Purpose("HRESCH"),
        3 => p.Class("Observation"),
        4 => p.Label(Conf + "R"),
        5 => p.Label(Act + "PSY"),
        6 => p.Label("http://hl7.org/fhir/v3/ActCode|HIV"),
        7 => p.Code(Loinc + "1234-5"),
        8 => p.Code("9999-9"),
        9 => p.RecordedDuring(Now.AddYears(-1), null),
        10 => p.Data("Observation/o1"),
        11 => p.Actions("access"),
        12 => p.Label("urn:oid:2.16.840.1.113883.5.25|N"),
        _ => p,
    };

    /// <summary>A provision that states up to two elements; a third of them state no type (they inherit).</summary>
    private static readonly Gen<ConsentProvision> LeafGen =
        from type in Gen.Int[0, 2]
        from first in Gen.Int[0, 12]
        from second in Gen.Int[0, 12]
        let node = type switch { 0 => Permit(), 1 => Deny(), _ => Permit() with { Type = null } }
        select Criterion(Criterion(node, first), second);

    private static readonly Gen<ConsentProvision> TreeGen =
        from node in LeafGen
        from children in LeafGen.Array[0, 3]
        from grandchildren in LeafGen.Array[0, 2]
        select node with { Children = [.. children.Select((c, i) => i == 0 ? c with { Children = grandchildren } : c)] };

    private static readonly Gen<CompiledConsent[]> ConsentsGen =
        Gen.Select(Gen.Bool, TreeGen.Array[0, 3]).Array[1, 2]
            .Select(cs => cs.Select((c, i) => Consent($"c{i}", c.Item1 ? ConsentPolicyRule.OptIn : ConsentPolicyRule.OptOut, c.Item2)).ToArray());

    private static readonly string[] DataCodes = [Loinc + "1234-5", Loinc + "9999-9", "1234-5", "http://snomed.info/sct|9999-9"];

    private static readonly string[] DataLabels =
        [Conf + "N", Conf + "R", "http://hl7.org/fhir/v3/Confidentiality|V", Conf + "Q", Act + "PSY", "urn:oid:2.16.840.1.113883.5.4|HIV", "PSY", "R"];

    private static readonly Gen<ConsentRequest> RequestGen =
        from user in Gen.OneOfConst("Practitioner/a", "Practitioner/b")
        from org in Gen.OneOfConst("Organization/o1", "Organization/o2")
        from purpose in Gen.OneOfConst("TREAT", "HRESCH")
        from type in Gen.OneOfConst("Observation", "Condition", "*")
        from interaction in Gen.OneOfConst(Interaction.Read, Interaction.Update)
        from labels in Gen.Int[0, DataLabels.Length - 1].ArrayUnique[0, 3]
        from codes in Gen.Int[0, DataCodes.Length - 1].ArrayUnique[0, 2]
        from recorded in Gen.OneOfConst<DateTimeOffset?>(null, Now.AddYears(-2), Now.AddDays(-1))
        from reference in Gen.OneOfConst<string?>(null, "Observation/o1", "Observation/o2")
        from complete in Gen.Bool
        from search in Gen.Int[0, 4]
        let request = Request(user, type, purpose, [org], [.. labels.Select(i => DataLabels[i])], [.. codes.Select(i => DataCodes[i])], interaction, search: search == 0)
        select request with { RecordedAt = recorded, Reference = reference, FactsComplete = complete };

    /// <summary>
    /// The request with one piece of information taken away. A list with an entry dropped is no longer
    /// everything the data carries, so dropping a code or label also drops <see cref="ConsentRequest.FactsComplete"/>.
    /// </summary>
    private static ConsentRequest Without(ConsentRequest r, int what, int index) => what switch
    {
        0 when r.Codes.Count > 0 => r with { Codes = [.. r.Codes.Where((_, i) => i != index % r.Codes.Count)], FactsComplete = false },
        1 when r.Labels.Count > 0 => r with { Labels = [.. r.Labels.Where((_, i) => i != index % r.Labels.Count)], FactsComplete = false },
        2 when r.Codes.Count > 0 => r with { Codes = [.. r.Codes.Select((c, i) => i == index % r.Codes.Count ? new Token(null, c.Code) : c)] },
        3 => r with { RecordedAt = null },
        4 => r with { Reference = null },
        _ => r with { FactsComplete = false },
    };

    [Fact]
    public void Removing_information_from_the_request_never_turns_a_deny_into_a_permit() =>
        Gen.Select(Gen.Bool, ConsentsGen, RequestGen, Gen.Int[0, 5], Gen.Int[0, 3]).Sample((optIn, consents, request, what, index) =>
        {
            var rule = optIn ? ConsentPolicyRule.OptIn : ConsentPolicyRule.OptOut;
            var before = ConsentEvaluator.Evaluate("p1", consents, request, rule);
            var after = ConsentEvaluator.Evaluate("p1", consents, Without(request, what, index), rule);
            if (before.Reason.Outcome == Outcome.Deny)
            {
                Assert.Equal(Outcome.Deny, after.Reason.Outcome);
            }
        }, iter: Iterations, print: t => $"{(t.Item1 ? "default opt-in" : "default opt-out")}, {Show(t.Item2)}, {Show(t.Item3)}, without #{t.Item4}/{t.Item5}");

    [Fact]
    public void Adding_a_deny_provision_never_turns_a_deny_into_a_permit() =>
        Gen.Select(ConsentsGen, Gen.Int[0, 20], LeafGen, RequestGen).Sample((consents, at, extra, request) =>
        {
            var deny = extra with { Type = ProvisionType.Deny };
            var before = ConsentEvaluator.Evaluate("p1", consents, request, ConsentPolicyRule.OptIn);
            var after = ConsentEvaluator.Evaluate("p1", WithDeny(consents, at, deny), request, ConsentPolicyRule.OptIn);
            if (before.Reason.Outcome == Outcome.Deny)
            {
                Assert.Equal(Outcome.Deny, after.Reason.Outcome);
            }
        }, iter: Iterations, print: t => $"{Show(t.Item1)} + deny {Show(t.Item3)} at node {t.Item2}, {Show(t.Item4)}");

    [Fact]
    public void A_search_is_never_permitted_where_some_data_of_the_same_request_would_be_denied_without_an_exclusion() =>
        Gen.Select(ConsentsGen, RequestGen).Sample((consents, request) =>
        {
            var search = ConsentEvaluator.Evaluate("p1", consents, request with { DataUnknown = true }, ConsentPolicyRule.OptIn);
            var read = ConsentEvaluator.Evaluate("p1", consents, request with { DataUnknown = false }, ConsentPolicyRule.OptIn);
            // A permitted search that excludes nothing may return any of the patient's data, so every
            // read it could return must be permitted too.
            if (search.Permitted && search.ExcludedLabels.Count == 0)
            {
                Assert.True(read.Permitted);
            }
        }, iter: Iterations, print: t => $"{Show(t.Item1)}, {Show(t.Item2)}");

    /// <summary>The consents with a deny added under their <paramref name="at"/>-th provision (pre-order, over all consents).</summary>
    private static CompiledConsent[] WithDeny(CompiledConsent[] consents, int at, ConsentProvision deny)
    {
        var count = consents.Sum(c => Count(c.Root));
        var target = at % count;
        return [.. consents.Select(c => c with { Root = Numbered(Insert(c.Root, deny, ref target)) })];
    }

    private static int Count(ConsentProvision p) => 1 + p.Children.Sum(Count);

    private static ConsentProvision Insert(ConsentProvision p, ConsentProvision deny, ref int target)
    {
        if (target-- == 0)
        {
            return p with { Children = [.. p.Children, deny] };
        }
        var children = new List<ConsentProvision>();
        foreach (var child in p.Children)
        {
            children.Add(Insert(child, deny, ref target));
        }
        return p with { Children = children };
    }
}
