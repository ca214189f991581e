using PermissionLayer.Fhir.Imports;

namespace PermissionLayer.Fhir.Tests.Imports;

/// <summary>Every rejected input: the message names the resource, where it is, and the FHIR path.</summary>
public sealed class ImportErrorTests
{
    private const string Group = "\"resourceType\":\"Group\",\"id\":\"g1\",\"type\":\"person\",\"actual\":true";

    public static TheoryData<string, string> Rejections => new()
    {
        // Definitional groups and members
        { $$$"""{"resourceType":"Group","id":"g1","type":"person","actual":false}""",
          "Group/g1: Group.actual is false: a definitional group describes criteria, not members, and has nothing to import" },
        { $$$"""{{{{Group}}},"member":[{"entity":{"reference":"Patient/p"}},{"entity":{"reference":"Patient/q"}},{"entity":{"reference":"Practitioner/x"}}]}""",
          "Group/g1: Group.member[2].entity.reference 'Practitioner/x' must reference a Patient" },
        { $$$"""{{{{Group}}},"member":[{"entity":{"reference":"http://other.example/fhir/Patient/p"}}]}""",
          "Group/g1: Group.member[0].entity.reference 'http://other.example/fhir/Patient/p' must be a relative reference Type/id to a Patient" },
        { $$$$"""{{{{{Group}}}},"member":[{"entity":{"identifier":{"system":"urn:mrn","value":"1"}}}]}""",
          "Group/g1: Group.member[0].entity.reference is missing; expected a reference to a Patient" },
        { $$$"""{{{{Group}}},"member":[{"entity":{"reference":"Patient/p","type":"Group"}}]}""",
          "Group/g1: Group.member[0].entity.type 'Group' contradicts the reference 'Patient/p'" },
        { $$$"""{{{{Group}}},"member":[{"entity":{"reference":"Patient/p"}},{"entity":{"reference":"Patient/q"},"period":{"start":"2021-01-01","end":"2020-06-30"}}]}""",
          "Group/g1: Group.member[1].period end '2020-06-30' is before start '2021-01-01'" },
        { $$$"""{{{{Group}}},"member":[{"entity":{"reference":"Patient/p1"}},{"entity":{"reference":"Patient/p2"}},{"entity":{"reference":"Patient/p1"}}]}""",
          "Group/g1: Group.member[2].entity.reference 'Patient/p1' is also Group.member[0]; a patient may appear once, with one period" },
        // Missing id, unsupported types
        { """{"resourceType":"Group","type":"person","actual":true}""",
          "Group: Group.id is missing; an imported resource needs an id so later imports can update it" },
        { """{"resourceType":"Patient","id":"p1"}""",
          "Patient/p1: resource type 'Patient' cannot be imported; expected Group, CareTeam, List, PractitionerRole, Consent or Bundle" },
        // CareTeam
        { """{"resourceType":"CareTeam","id":"c1","status":"active"}""",
          "CareTeam/c1: CareTeam.subject is missing; expected a reference to a Patient" },
        { """{"resourceType":"CareTeam","id":"c1","status":"active","subject":{"reference":"Group/g1"}}""",
          "CareTeam/c1: CareTeam.subject.reference 'Group/g1' must reference a Patient" },
        { """{"resourceType":"CareTeam","id":"c1","subject":{"reference":"Patient/p"}}""",
          "CareTeam/c1: CareTeam.status is missing; without it nobody can tell whether the team entitles its participants" },
        { """{"resourceType":"CareTeam","id":"c1","status":"active","subject":{"reference":"Patient/p"},"participant":[{"member":{"reference":"Device/d"}}]}""",
          "CareTeam/c1: CareTeam.participant[0].member.reference 'Device/d' must reference a CareTeam, Organization, Patient, Practitioner, PractitionerRole or RelatedPerson" },
        { """{"resourceType":"CareTeam","id":"c1","status":"active","subject":{"reference":"Patient/p"},"period":{"start":"2024-02","end":"2024-01-31"}}""",
          "CareTeam/c1: CareTeam.period end '2024-01-31' is before start '2024-02'" },
        // List
        { """{"resourceType":"List","id":"l1","status":"current","mode":"working"}""",
          "List/l1: List.source is missing; expected a reference to a Practitioner" },
        { """{"resourceType":"List","id":"l1","status":"current","mode":"working","source":{"reference":"PractitionerRole/r"}}""",
          "List/l1: List.source.reference 'PractitionerRole/r' must reference a Practitioner" },
        { """{"resourceType":"List","id":"l1","status":"current","mode":"working","source":{"reference":"Practitioner/a"},"entry":[{"item":{"reference":"Observation/o"}}]}""",
          "List/l1: List.entry[0].item.reference 'Observation/o' must reference a Patient" },
        { """{"resourceType":"List","id":"l1","status":"current","mode":"working","source":{"reference":"Practitioner/a"},"entry":[{"item":{"reference":"Patient/p"}},{"item":{"reference":"Patient/p"}}]}""",
          "List/l1: List.entry[1].item.reference 'Patient/p' is also List.entry[0]; a patient may appear once" },
        // PractitionerRole
        { """{"resourceType":"PractitionerRole","id":"r1","organization":{"reference":"Organization/o"}}""",
          "PractitionerRole/r1: PractitionerRole.practitioner is missing; expected a reference to a Practitioner" },
        { """{"resourceType":"PractitionerRole","id":"r1","practitioner":{"reference":"Practitioner/a"},"organization":{"reference":"Location/l"}}""",
          "PractitionerRole/r1: PractitionerRole.organization.reference 'Location/l' must reference a Organization" },
        // Modifiers
        { $$$"""{{{{Group}}},"member":[{"entity":{"reference":"Patient/p"},"modifierExtension":[{"url":"http://example.org/revoked","valueBoolean":true}]}]}""",
          "Group/g1: Group.member[0].modifierExtension[0] 'http://example.org/revoked' is a modifier extension this service does not understand" },
        { """{"resourceType":"Consent","id":"k1","modifierExtension":[{"url":"http://example.org/m","valueBoolean":true}],"status":"active","scope":{"text":"x"},"category":[{"text":"x"}]}""",
          "Consent/k1: Consent.modifierExtension[0] 'http://example.org/m' is a modifier extension this service does not understand" },
        { """{"resourceType":"CareTeam","id":"c1","status":"active","subject":{"reference":"Patient/p"},"contained":[{"resourceType":"Practitioner","id":"x","modifierExtension":[{"url":"http://example.org/m","valueBoolean":true}]}]}""",
          "CareTeam/c1: CareTeam.contained[0].modifierExtension[0] 'http://example.org/m' is a modifier extension this service does not understand" },
        { $$$"""{{{{Group}}},"implicitRules":"http://example.org/rules"}""",
          "Group/g1: Group.implicitRules is set; resources under implicit rules cannot be interpreted safely" },
        // Bundles
        { $$$"""{"resourceType":"Bundle","id":"b1","type":"transaction","entry":[{"resource":{{{{Group}}}}},{"request":{"method":"DELETE","url":"Group/g2"}}]}""",
          "Bundle/b1: Bundle.entry[1].resource is missing; every entry must carry a resource to import (a DELETE entry cannot be imported)" },
        { $$$"""{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","id":"p"}}]}""",
          "Patient/p (Bundle.entry[0]): resource type 'Patient' cannot be imported; expected Group, CareTeam, List, PractitionerRole, Consent or Bundle" },
        { $$$"""{"resourceType":"Bundle","type":"collection","entry":[{"resource":{{{{Group}}}}},{"resource":{{{{Group}}},"member":[{"entity":{"reference":"Practitioner/x"}}]}}]}""",
          "Group/g1 (Bundle.entry[1]): appears twice in one import (also at Bundle.entry[0]); send one version of each resource" },
        { $$$"""{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Group","id":"g9","type":"person","actual":true,"member":[{"entity":{"reference":"Practitioner/x"}}]}}]}""",
          "Group/g9 (Bundle.entry[0]): Group.member[0].entity.reference 'Practitioner/x' must reference a Patient" },
        { $$$"""{"resourceType":"Bundle","type":"collection","entry":[{"modifierExtension":[{"url":"http://example.org/m","valueBoolean":true}],"resource":{{{{Group}}}}}]}""",
          "Bundle: Bundle.entry[0].modifierExtension[0] 'http://example.org/m' is a modifier extension this service does not understand" },
        { $$$"""{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"List","id":"l1","status":"current","mode":"working"}}]}}]}""",
          "List/l1 (Bundle.entry[0] > Bundle.entry[0]): List.source is missing; expected a reference to a Practitioner" },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public void Rejected_input_names_resource_and_path(string json, string expected)
    {
        var error = Assert.Throws<FhirImportException>(() => new FhirImportReader().ReadJson(json));

        Assert.Equal(expected, error.Message);
    }

    public static TheoryData<string, string> ParseRejections => new()
    {
        { "", "resource: invalid JSON" },
        { "   ", "resource: invalid JSON" },
        { """{"resourceType":"Group",""", "resource: invalid JSON" },
        { "[]", "resource: invalid FHIR JSON: expected an object, found StartArray" },
        { "42", "resource: invalid FHIR JSON: expected an object, found Number" },
        { $$$"""{{{{Group}}}} {}""", "resource: invalid JSON" },
        { """{"id":"g1"}""", "resource: Resource has no 'resourceType' property" },
        { """{"resourceType":"Foo","id":"x"}""", "resource: Encountered unknown resource type 'Foo'" },
        { $$$"""{{{{Group}}},"memebr":"x"}""", "Group/g1: Group.memebr Found unknown element 'memebr'" },
        { """{"resourceType":"Group","id":"g1","type":"people","actual":true}""", "Group/g1: Group.type Value 'people' is not a correct code" },
        { """{"resourceType":"Group","id":"g1"}""", "Group/g1: Group.type Element 'Group.type' with minimum cardinality 1 must be present" },
        { $$$"""{{{{Group}}},"member":[{"entity":{"reference":"Patient/p"},"period":{"start":"2020-13-01"}}]}""",
          "Group/g1: Group.member[0].period.start string '2020-13-01' is not a correct literal for a dateTime" },
        { $$$"""{"resourceType":"Bundle","id":"b","type":"collection","entry":[{"resource":{{{{Group}}},"member":[{"entity":{"reference":"Patient/p"},"period":{"start":"2020-13-01"}}]}}]}""",
          "Group/g1 (Bundle.entry[0]): Group.member[0].period.start string '2020-13-01' is not a correct literal for a dateTime" },
    };

    [Theory]
    [MemberData(nameof(ParseRejections))]
    public void Unparseable_input_is_rejected_with_the_parsers_reason(string json, string expectedStart)
    {
        var error = Assert.Throws<FhirImportException>(() => new FhirImportReader().ReadJson(json));

        Assert.StartsWith(expectedStart, error.Message);
    }

    [Fact]
    public void Exception_exposes_its_parts()
    {
        var error = Assert.Throws<FhirImportException>(() => new FhirImportReader().ReadJson(
            $$$"""{"resourceType":"Bundle","type":"batch","entry":[{"resource":{{{{Group}}}}},{"resource":{"resourceType":"Group","id":"g2","type":"person","actual":true,"member":[{"entity":{"reference":"Practitioner/x"}}]}}]}"""));

        Assert.Equal("Group/g2", error.Resource);
        Assert.Equal("Bundle.entry[1]", error.Origin);
        Assert.Equal("Group.member[0].entity.reference", error.Path);
        Assert.Equal("'Practitioner/x' must reference a Patient", error.Problem);
    }
}
