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
        // Every code found in the instance (R4 Consent.provision.code), its category's too; not its labels.
        Assert.Equal([Token.Parse("http://terminology.hl7.org/CodeSystem/observation-category|laboratory"), Token.Parse("http://loinc.org|4548-4")], facts.Code);
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

    public static TheoryData<string, string[]> PatientsOutsideTheCompartmentElements => new()
    {
        { """{"resourceType":"Task","id":"t","status":"requested","intent":"order","for":{"reference":"Patient/c"},"owner":{"identifier":{"value":"x"}}}""", ["c"] },
        { """{"resourceType":"Binary","id":"b","contentType":"text/plain","securityContext":{"reference":"Patient/c"}}""", ["c"] },
        { """{"resourceType":"Device","id":"d","patient":{"reference":"Patient/c"}}""", ["c"] },
        { """{"resourceType":"Bundle","id":"b","type":"collection","entry":[{"resource":{"resourceType":"Observation","id":"o","status":"final","code":{"text":"x"},"subject":{"reference":"Patient/c"}}}]}""", ["c"] },
        { """{"resourceType":"Observation","id":"o","status":"final","code":{"text":"x"},"subject":{"reference":"Patient/a"},"contained":[{"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/c"}}]}""", ["a", "c"] },
        { """{"resourceType":"Observation","id":"o","status":"final","code":{"text":"x"},"subject":{"reference":"Patient/a"},"focus":[{"reference":"Patient/c"}]}""", ["a", "c"] },
    };

    [Theory]
    [MemberData(nameof(PatientsOutsideTheCompartmentElements))]
    public void Every_reference_to_one_of_our_patients_and_every_carried_resource_counts(string json, string[] patients)
    {
        var (_, facts) = ResourceFactsExtractor.Extract(json);
        Assert.Equal(patients, facts.Patients.Order());
        Assert.Empty(facts.UnresolvedPatientReferences);
    }

    [Theory]
    [InlineData("""{"resourceType":"Task","id":"t","status":"requested","intent":"order","for":{"reference":"http://elsewhere.example/fhir/Patient/c"}}""")]
    [InlineData("""{"resourceType":"Task","id":"t","status":"requested","intent":"order","for":{"type":"Patient","identifier":{"value":"mrn-1"}}}""")]
    [InlineData("""{"resourceType":"Bundle","id":"b","type":"collection","entry":[{"resource":{"resourceType":"Observation","id":"o","status":"final","code":{"text":"x"},"subject":{"reference":"urn:uuid:0b5d6f5e-0000-4000-8000-000000000001"}}}]}""")]
    public void A_reference_to_a_patient_that_cannot_be_resolved_is_unresolved_wherever_it_is(string json)
    {
        var (_, facts) = ResourceFactsExtractor.Extract(json);
        Assert.NotEmpty(facts.UnresolvedPatientReferences);
    }

    [Fact]
    public void Codes_anywhere_in_the_resource_and_labels_of_carried_resources_count()
    {
        const string json = """
            {"resourceType":"Bundle","id":"b","type":"collection","entry":[{"resource":
              {"resourceType":"Encounter","id":"e","status":"finished","class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},
               "subject":{"reference":"Patient/a"},"reasonCode":[{"coding":[{"system":"http://snomed.info/sct","code":"86406008"}]}],
               "meta":{"security":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"HIV"}]}}}]}
            """;
        var (_, facts) = ResourceFactsExtractor.Extract(json);
        Assert.Contains(Token.Parse("http://snomed.info/sct|86406008"), facts.Code);
        Assert.DoesNotContain(Token.Parse("http://terminology.hl7.org/CodeSystem/v3-ActCode|HIV"), facts.Code);
        Assert.Equal([Token.Parse("http://terminology.hl7.org/CodeSystem/v3-ActCode|HIV")], facts.Security);
    }
}
