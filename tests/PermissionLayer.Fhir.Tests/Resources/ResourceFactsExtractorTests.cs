using PermissionLayer.Core.Requests;
using PermissionLayer.Fhir.Resources;

namespace PermissionLayer.Fhir.Tests.Resources;

public sealed class ResourceFactsExtractorTests
{
    [Fact]
    public void Observation_yields_its_subject_category_code_labels_and_status()
    {
        const string json = """
        {"resourceType":"Observation","id":"o1","status":"final",
         "meta":{"security":[{"system":"http://terminology.hl7.org/CodeSystem/v3-Confidentiality","code":"R"}],
                 "tag":[{"system":"http://example.org/tags","code":"imported"}]},
         "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}]}],
         "code":{"coding":[{"system":"http://loinc.org","code":"4548-4"}]},
         "subject":{"reference":"Patient/123"},
         "performer":[{"reference":"Practitioner/p9"}]}
        """;
        var (type, facts) = ResourceFactsExtractor.Extract(json);
        Assert.Equal("Observation", type);
        Assert.Equal(["123"], facts.Patients);
        Assert.Equal([Token.Parse("http://terminology.hl7.org/CodeSystem/observation-category|laboratory")], facts.Category);
        Assert.Equal([Token.Parse("http://loinc.org|4548-4")], facts.Code);
        Assert.Equal([Token.Parse("http://terminology.hl7.org/CodeSystem/v3-Confidentiality|R")], facts.Security);
        Assert.Equal([Token.Parse("http://example.org/tags|imported")], facts.Tag);
        Assert.Equal("final", facts.Status);
        Assert.Equal("Observation/o1", facts.Reference);
    }

    [Fact]
    public void A_patient_is_in_its_own_compartment()
    {
        var (_, facts) = ResourceFactsExtractor.Extract("""{"resourceType":"Patient","id":"p-7","active":true}""");
        Assert.Equal(["p-7"], facts.Patients);
    }

    [Fact]
    public void A_resource_outside_the_compartment_has_no_patients()
    {
        var (type, facts) = ResourceFactsExtractor.Extract("""{"resourceType":"Practitioner","id":"dr"}""");
        Assert.Equal("Practitioner", type);
        Assert.Empty(facts.Patients);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"resourceType":"Nonsense"}""")]
    [InlineData("""{"resourceType":"Observation","status":42}""")]
    public void Invalid_input_is_a_fhir_input_error(string json)
    {
        var error = Assert.Throws<FhirInputException>(() => ResourceFactsExtractor.Extract(json));
        Assert.StartsWith("not a valid FHIR R4 resource", error.Message);
    }
}
