using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Labels;
using PermissionLayer.Core.Requests;

namespace PermissionLayer.Core.Tests.Labels;

public sealed class LabelPolicyTests
{
    private const string Conf = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality|";
    private const string Act = "http://terminology.hl7.org/CodeSystem/v3-ActCode|";
    private const string ConfOld = "http://hl7.org/fhir/v3/Confidentiality|";
    private const string ConfOid = "urn:oid:2.16.840.1.113883.5.25|";
    private const string ActOld = "http://hl7.org/fhir/v3/ActCode|";
    private const string ActOid = "urn:oid:2.16.840.1.113883.5.4|";

    [Theory]
    [InlineData("", "N", "", Outcome.Permit, "labels.cleared")]
    [InlineData(Conf + "N", "N", "", Outcome.Permit, "labels.cleared")]
    [InlineData(Conf + "R", "N", "", Outcome.Deny, "labels.confidentiality")]
    [InlineData(Conf + "R", "R", "", Outcome.Permit, "labels.cleared")]
    [InlineData(Conf + "L," + Conf + "V", "R", "", Outcome.Deny, "labels.confidentiality")]
    [InlineData("V", "R", "", Outcome.Deny, "labels.confidentiality")]
    [InlineData(Act + "PSY", "V", "", Outcome.Deny, "labels.sensitivity")]
    [InlineData("PSY", "V", "", Outcome.Deny, "labels.sensitivity")]
    [InlineData(Act + "PSY", "N", "PSY", Outcome.Permit, "labels.cleared")]
    [InlineData(Act + "PSY," + Act + "HIV", "N", "PSY", Outcome.Deny, "labels.sensitivity")]
    [InlineData("http://example.org/other|NOREUSE", "N", "", Outcome.Permit, "labels.cleared")]
    // The same systems written another valid way.
    [InlineData(ConfOld + "R", "N", "", Outcome.Deny, "labels.confidentiality")]
    [InlineData(ConfOid + "V", "R", "", Outcome.Deny, "labels.confidentiality")]
    [InlineData(ConfOid + "R", "R", "", Outcome.Permit, "labels.cleared")]
    [InlineData("|R", "N", "", Outcome.Deny, "labels.confidentiality")]
    [InlineData(ActOld + "HIV", "V", "", Outcome.Deny, "labels.sensitivity")]
    [InlineData(ActOid + "HIV", "V", "", Outcome.Deny, "labels.sensitivity")]
    [InlineData(ActOid + "HIV", "N", "HIV", Outcome.Permit, "labels.cleared")]
    // A code the engine does not know in a system it does is not harmless.
    [InlineData(Conf + "X", "R", "", Outcome.Deny, "labels.confidentiality")]
    [InlineData(ConfOld + "r", "R", "", Outcome.Deny, "labels.confidentiality")]
    [InlineData(Act + "OPIOIDUD", "V", "", Outcome.Deny, "labels.sensitivity")]
    [InlineData(ActOid + "NOPAT", "V", "", Outcome.Deny, "labels.sensitivity")]
    // Handling caveats bind what the recipient does with data it may see.
    [InlineData(Act + "NOREUSE", "N", "", Outcome.Permit, "labels.cleared")]
    [InlineData(ActOld + "ENCRYPT," + Act + "NORDSCLCD", "N", "", Outcome.Permit, "labels.cleared")]
    public void Data_labels_against_clearance(string labels, string ceiling, string categories, Outcome expected, string code)
    {
        var tokens = labels.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Token.Parse).ToList();
        var clearance = new Clearance(ceiling, categories.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet());

        var reason = LabelPolicy.Evaluate(tokens, clearance);

        Assert.Equal(expected, reason.Outcome);
        Assert.Equal(code, reason.Code);
    }

    [Fact]
    public void Search_excludes_what_is_above_the_ceiling_and_ungranted_categories()
    {
        var excluded = LabelPolicy.Excluded(new Clearance("R", new HashSet<string> { "PSY" }));

        Assert.Contains(Conf + "V", excluded);
        Assert.DoesNotContain(Conf + "R", excluded);
        Assert.Contains(Act + "HIV", excluded);
        Assert.DoesNotContain(Act + "PSY", excluded);
    }

    [Fact]
    public void Search_exclusions_name_every_spelling_of_an_excluded_label()
    {
        var excluded = LabelPolicy.Excluded(new Clearance("R", new HashSet<string> { "PSY" }));

        Assert.Contains(ConfOld + "V", excluded);
        Assert.Contains(ConfOid + "V", excluded);
        Assert.Contains("|V", excluded); // unsystemed data labels on the scale read as confidentiality
        Assert.DoesNotContain(ConfOid + "R", excluded);
        Assert.Contains(ActOld + "HIV", excluded);
        Assert.Contains(ActOid + "HIV", excluded);
        Assert.Contains("|HIV", excluded);
        Assert.DoesNotContain(ActOid + "PSY", excluded);
        Assert.DoesNotContain("|PSY", excluded);
    }
}
