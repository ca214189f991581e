using PermissionLayer.Core.Decisions;
using PermissionLayer.Server.Features.Audit;
using PermissionLayer.Testing.Audit;

namespace PermissionLayer.Server.Tests.Audit;

/// <summary>
/// The reasons column is hash-chained over its exact text: it stays byte for byte what the
/// serializer wrote (<see cref="ReferenceReasonsJson"/>), escaping included.
/// </summary>
public sealed class AuditReasonsJsonTests
{
    private static readonly DecisionReason[][] ReasonSets =
    [
        [.. AuditSamples.PermitReasons],
        [],
        [DecisionReason.Deny(DecisionTerm.Request, "search.no-common-patient", "<script>&amp; \\ \t\n\u0001 é ü 患者 🩺 \u2028", "Group/a+b")],
        [new DecisionReason((DecisionTerm)42, Outcome.Deny, "", "", "")],
    ];

    [Fact]
    public void Json_is_what_the_serializer_wrote()
    {
        foreach (var reasons in ReasonSets)
        {
            Assert.Equal(ReferenceReasonsJson.Of(reasons), AuditReasonsJson.Of(reasons));
        }
    }

    [Fact]
    public void Quotes_arrows_and_a_null_source_are_escaped_as_before()
    {
        DecisionReason[] reasons = [DecisionReason.Permit(DecisionTerm.Consent, "consent.permit", "the patient's \"clinical\" data → permitted")];
        const string Expected = """[{"term":"consent","outcome":"permit","code":"consent.permit","message":"the patient\u0027s \u0022clinical\u0022 data \u2192 permitted","source":null}]""";
        Assert.Equal(Expected, ReferenceReasonsJson.Of(reasons));
        Assert.Equal(Expected, AuditReasonsJson.Of(reasons));
    }

    [Fact]
    public void Every_term_is_named_by_its_enum_name_in_lower_case()
    {
        foreach (var term in Enum.GetValues<DecisionTerm>().Append((DecisionTerm)42))
        {
            Assert.Equal(term.ToString().ToLowerInvariant(), AuditTermNames.Of(term));
        }
    }
}
