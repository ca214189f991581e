using PermissionLayer.Fhir.Resources;

namespace PermissionLayer.Fhir.Tests.Resources;

/// <summary>FHIR type names are case-sensitive: a near spelling is not a type.</summary>
public sealed class R4ResourceTypesTests
{
    [Theory]
    [InlineData("Patient", true)]
    [InlineData("Observation", true)]
    [InlineData("patient", false)]
    [InlineData("PATIENT", false)]
    [InlineData("observation", false)]
    [InlineData(" Patient", false)]
    [InlineData("", false)]
    public void Only_exact_type_names_are_known(string name, bool known) =>
        Assert.Equal(known, R4ResourceTypes.Instance.IsKnown(name));
}
