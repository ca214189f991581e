using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Labels;
using PermissionLayer.Core.Requests;

namespace PermissionLayer.Core.Tests.Labels;

public sealed class LabelPolicyTests
{
    private const string Conf = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality|";
    private const string Act = "http://terminology.hl7.org/CodeSystem/v3-ActCode|";

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
}
