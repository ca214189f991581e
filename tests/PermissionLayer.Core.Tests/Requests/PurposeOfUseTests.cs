using PermissionLayer.Core.Requests;

namespace PermissionLayer.Core.Tests.Requests;

/// <summary>A token's purpose of use: one spelling per ActReason code (specialisations: ProvisionMatchTests).</summary>
public sealed class PurposeOfUseTests
{
    [Theory]
    [InlineData("TREAT", "TREAT")]
    [InlineData("http://terminology.hl7.org/CodeSystem/v3-ActReason|HRESCH", "HRESCH")]
    [InlineData("urn:oid:2.16.840.1.113883.5.8|ETREAT", "ETREAT")]
    [InlineData("http://example.org/purposes|local-audit", "http://example.org/purposes|local-audit")]
    [InlineData("", null)]
    public void A_purpose_is_read_in_its_canonical_spelling(string given, string? canonical) =>
        Assert.Equal(canonical, PurposeOfUse.Normalize(given, "token.purpose_of_use"));

    [Theory]
    [InlineData("hresch")]
    [InlineData("HRESCH ")]
    [InlineData(" HRESCH")]
    [InlineData("http://terminology.hl7.org/CodeSystem/v3-ActReason|hresch")]
    [InlineData("research")]
    [InlineData("|HRESCH")]
    [InlineData("no-system|x y")]
    public void Any_other_spelling_is_invalid_naming_the_field(string given)
    {
        var error = Assert.Throws<RequestValidationException>(() => PurposeOfUse.Normalize(given, "token.purpose_of_use"));
        Assert.Equal("token.purpose_of_use", error.Field);
    }
}
