using PermissionLayer.Core.References;
using PermissionLayer.Core.Scopes;

namespace PermissionLayer.Core.Tests.References;

/// <summary>
/// Review 16: a conditional reference (<c>Type?query</c>) names whatever the FHIR server's search finds,
/// so it is unresolved, whatever its query holds. A query holding a URL (<c>_tag:not=http://x/Practitioner/y</c>,
/// an identifier system) must not make it "another server's Practitioner", certainly not a patient.
/// </summary>
public sealed class ConditionalReferenceTests
{
    private static readonly PatientReferenceResolver Resolver = new(["https://fhir.example.org/r4"], new KnownTypes());

    [Theory]
    [InlineData("Patient?_id=b&_tag:not=http://x.example/Practitioner/y")]
    [InlineData("Patient?identifier=http://hospital.example/Practitioner/mrn|12345")]
    [InlineData("Patient?_id=b&_profile:not=http://x.example/StructureDefinition/y")]
    [InlineData("Patient?_id=b&_has:Condition:patient:code=http://snomed.info/sct|86406008&_tag:not=http://x.example/Practitioner/y")]
    [InlineData("https://fhir.example.org/r4/Patient?_id=b&_tag:not=http://x.example/Practitioner/y")]
    public void A_conditional_reference_to_a_patient_is_unresolved(string reference)
    {
        var resolution = Resolver.Resolve(reference, null);
        Assert.True(resolution.IsUnresolved && resolution.PatientId is null,
            $"{reference}: {(resolution.PatientId is { } id ? $"Patient/{id}" : resolution.IsUnresolved ? "unresolved" : "certainly not a patient")}");
    }

    private sealed class KnownTypes : IResourceTypeCatalog
    {
        public bool IsKnown(string resourceType) => resourceType is "Patient" or "Practitioner" or "Group" or "Observation" or "StructureDefinition";
    }
}
