using PermissionLayer.Core.References;
using PermissionLayer.Core.Scopes;

namespace PermissionLayer.Core.Tests.References;

/// <summary>Which references name one of our patients, which certainly do not, and which cannot be told.</summary>
public sealed class PatientReferenceResolverTests
{
    private static readonly PatientReferenceResolver Resolver = new(["https://fhir.example.org/r4"], new KnownTypes());

    [Theory]
    [InlineData("Patient/a", null, null, "a")]
    [InlineData("Patient/a/_history/3", null, null, "a")]
    [InlineData("https://fhir.example.org/r4/Patient/a", null, null, "a")]
    [InlineData("https://fhir.example.org/r4/Patient/a/_history/1", null, null, "a")]
    [InlineData("Practitioner/p", null, null, "not")]
    [InlineData("https://other.example.org/Practitioner/p", null, null, "not")]
    [InlineData("#pr", null, "Practitioner", "not")]
    [InlineData(null, "Practitioner", null, "not")]
    [InlineData("https://other.example.org/r4/Patient/a", null, null, "unresolved")]
    [InlineData("https://fhir.example.org/r4x/Patient/a", null, null, "unresolved")]
    [InlineData("urn:uuid:0f4b2c1e-0000-4000-8000-000000000001", null, null, "unresolved")]
    [InlineData("#p", null, "Patient", "unresolved")]
    [InlineData("#missing", null, null, "unresolved")]
    [InlineData(null, null, null, "unresolved")]
    [InlineData(null, "Patient", null, "unresolved")]
    [InlineData("Patient?identifier=x|1", null, null, "unresolved")]
    [InlineData("Patient/a/b", null, null, "unresolved")]
    [InlineData("Patient/not valid!", null, null, "unresolved")]
    [InlineData("patient/a", null, null, "unresolved")]
    [InlineData("PATIENT/a", null, null, "unresolved")]
    [InlineData(" Patient/a", null, null, "unresolved")]
    [InlineData("https://other.example.org/patient/a", null, null, "unresolved")]
    [InlineData(null, "patient", null, "unresolved")]
    public void Resolves_only_what_names_one_of_our_patients(string? reference, string? type, string? containedType, string expected)
    {
        var resolution = Resolver.Resolve(reference, type, containedType);
        var actual = resolution.PatientId ?? (resolution.IsUnresolved ? "unresolved" : "not");
        Assert.Equal(expected, actual);
    }

    private sealed class KnownTypes : IResourceTypeCatalog
    {
        public bool IsKnown(string resourceType) => resourceType is "Patient" or "Practitioner" or "Group" or "Observation";
    }
}
