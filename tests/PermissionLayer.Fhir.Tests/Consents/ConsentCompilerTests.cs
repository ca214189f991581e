using PermissionLayer.Core.Consents;
using PermissionLayer.Core.Requests;
using PermissionLayer.Fhir.Consents;
using PermissionLayer.Fhir.Imports;

namespace PermissionLayer.Fhir.Tests.Consents;

public sealed class ConsentCompilerTests
{
    private const string Head = """
        "resourceType":"Consent","id":"c1","status":"active",
        "scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},
        "category":[{"coding":[{"system":"http://loinc.org","code":"59284-0"}]}],
        "patient":{"reference":"Patient/p1"}
        """;

    private const string Role = """{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ParticipationType","code":"PRCP"}]}""";

    [Fact]
    public void NotOrg_compiles_to_a_root_deny_for_the_organization()
    {
        var consent = ConsentCompiler.Compile(ConsentFixture.Text("consent-example-notOrg"));

        Assert.Equal("consent-example-notOrg", consent.ConsentId);
        Assert.Equal("f001", consent.PatientId);
        Assert.Equal("active", consent.Status);
        Assert.Equal(ConsentPolicyRule.OptIn, consent.PolicyRule);
        Assert.Equal(ProvisionType.Deny, consent.Root.Type);
        Assert.Equal("provision", consent.Root.Path);
        Assert.Equal("Organization/f001", Assert.Single(consent.Root.Actors).Reference);
        Assert.Equal(["access", "correct"], consent.Root.Actions.Order());
        Assert.Equal(new DateTimeOffset(2015, 1, 1, 0, 0, 0, TimeSpan.Zero), consent.Root.Period!.Start);
    }

    [Fact]
    public void Out_compiles_nested_provisions_with_their_paths()
    {
        var consent = ConsentCompiler.Compile(ConsentFixture.Text("consent-example-Out"));

        Assert.Equal(ConsentPolicyRule.OptOut, consent.PolicyRule);
        var permit = Assert.Single(consent.Root.Children);
        Assert.Equal("provision.provision[0]", permit.Path);
        Assert.Equal("CareTeam/ct-f003", Assert.Single(permit.Actors).Reference);
        var deny = Assert.Single(permit.Children);
        Assert.Equal("provision.provision[0].provision[0]", deny.Path);
        Assert.Equal(ProvisionType.Deny, deny.Type);
        Assert.Equal("PSY", Assert.Single(deny.SecurityLabels).Code);
    }

    [Fact]
    public void NotThis_and_research_compile()
    {
        var notThis = ConsentCompiler.Compile(ConsentFixture.Text("consent-example-notThis"));
        var research = ConsentCompiler.Compile(ConsentFixture.Text("consent-example-research"));

        Assert.Equal("DocumentReference/example", Assert.Single(notThis.Root.Data).Reference);
        Assert.Equal(["HRESCH"], Assert.Single(research.Root.Children).Purposes);
    }

    [Fact]
    public void Compiled_fixture_decides_as_the_patient_asked()
    {
        var consent = ConsentCompiler.Compile(ConsentFixture.Text("consent-example-notOrg"));
        var request = new ConsentRequest
        {
            Actors = new HashSet<string> { "Practitioner/x", "Organization/f001" },
            Actions = ConsentActions.Of(Interaction.Read),
            Purpose = "TREAT",
            ResourceType = "Observation",
            At = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
        };

        var verdict = ConsentEvaluator.Evaluate("f001", [consent], request, ConsentPolicyRule.OptIn);

        Assert.False(verdict.Permitted);
        Assert.Equal("Consent/consent-example-notOrg#provision", verdict.Reason.Source);
    }

    [Fact]
    public void Labels_and_purposes_written_with_alias_systems_compile_and_apply()
    {
        var json = $$$$"""
            {{{{{Head}}}},"policyRule":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"OPTIN"}]},
            "provision":{"provision":[
              {"type":"deny","securityLabel":[{"system":"urn:oid:2.16.840.1.113883.5.4","code":"HIV"}]},
              {"type":"deny","purpose":[{"system":"http://hl7.org/fhir/v3/ActReason","code":"HRESCH"}]}]}}
            """;
        var consent = ConsentCompiler.Compile(json);
        var request = new ConsentRequest
        {
            Actors = new HashSet<string> { "Practitioner/x" },
            Actions = ConsentActions.Of(Interaction.Read),
            Purpose = "TREAT",
            ResourceType = "Observation",
            Labels = [Token.Parse("http://terminology.hl7.org/CodeSystem/v3-ActCode|HIV")],
            FactsComplete = true,
            At = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
        };

        var labelled = ConsentEvaluator.Evaluate("p1", [consent], request, ConsentPolicyRule.OptIn);
        var research = ConsentEvaluator.Evaluate("p1", [consent], request with { Labels = [], Purpose = "HRESCH" }, ConsentPolicyRule.OptIn);
        var other = ConsentEvaluator.Evaluate("p1", [consent], request with { Labels = [] }, ConsentPolicyRule.OptIn);

        Assert.Equal("Consent/c1#provision.provision[0]", labelled.Reason.Source);
        Assert.Equal("Consent/c1#provision.provision[1]", research.Reason.Source);
        Assert.True(other.Permitted);
    }

    public static TheoryData<string, string> Rejections => new()
    {
        { $$$$"""{{{{{Head}}}},"policyRule":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"OPTINR"}]}}""",
          "Consent/c1: Consent.policyRule 'http://terminology.hl7.org/CodeSystem/v3-ActCode|OPTINR' is not supported; expected one of OPTIN or OPTOUT" },
        { $$$$"""{{{{{Head}}}},"provision":{"actor":[{"reference":{"reference":"Organization/o1"}}]}}""",
          "Consent.provision.actor[0].role" },
        { $$$$"""{{{{{Head}}}},"provision":{"provision":[{"type":"deny","actor":[{"role":{{{{Role}}}},"reference":{"reference":"PractitionerRole/r1"}}]}]}}""",
          "Consent/c1: Consent.provision.provision[0].actor[0].reference.reference 'PractitionerRole/r1' must reference a" },
        { $$$$"""{{{{{Head}}}},"provision":{"action":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentaction","code":"share"}]}]}}""",
          "Consent/c1: Consent.provision.action[0].coding[0] 'http://terminology.hl7.org/CodeSystem/consentaction|share' is not supported" },
        { $$$$"""{{{{{Head}}}},"provision":{"class":[{"system":"http://hl7.org/fhir/resource-types","code":"Observaton"}]}}""",
          "Consent/c1: Consent.provision.class[0] 'http://hl7.org/fhir/resource-types|Observaton' is not supported" },
        { $$$$"""{{{{{Head}}}},"provision":{"data":[{"meaning":"dependents","reference":{"reference":"Encounter/e1"}}]}}""",
          "Consent/c1: Consent.provision.data[0].meaning 'Dependents' is not supported; only instance is" },
        { $$$$"""{{{{{Head}}}},"provision":{"dataPeriod":{"start":"2021-01-01","end":"2020-01-01"}}}""",
          "Consent/c1: Consent.provision.dataPeriod end '2020-01-01' is before start '2021-01-01'" },
        { $$$$"""{{{{{Head}}}},"contained":[{"resourceType":"Organization","id":"o1"}]}""",
          "Consent/c1: Consent.contained is not supported by the consent engine" },
        { Head.Replace("patient-privacy", "research").Insert(0, "{") + "}",
          "Consent/c1: Consent.scope must be patient-privacy" },
        { $$$$"""{{{{{Head.Replace("\"status\":\"active\",", "")}}}}}""",
          "Consent.status" },
        { $$$$"""{{{{{Head}}}},"provision":{"modifierExtension":[{"url":"http://example.org/except","valueBoolean":true}]}}""",
          "Consent/c1: Consent.provision.modifierExtension[0] 'http://example.org/except' is a modifier extension" },
        { $$$$"""{{{{{Head}}}},"provision":{"typo":"deny"}}""",
          "typo" },
        { $$$$"""{{{{{Head}}}},"provision":{"provision":[{"type":"permit","securityLabel":[{"system":"http://hl7.org/fhir/v3/Confidentiality","code":"r"}]}]}}""",
          "Consent/c1: Consent.provision.provision[0].securityLabel[0] 'http://hl7.org/fhir/v3/Confidentiality|r' is not a confidentiality code" },
        { $$$$"""{{{{{Head}}}},"provision":{"provision":[{"type":"deny","purpose":[{"system":"http://example.org/purposes","code":"HRESCH"}]}]}}""",
          "Consent/c1: Consent.provision.provision[0].purpose[0] 'http://example.org/purposes|HRESCH' is not supported; only purposes of use from http://terminology.hl7.org/CodeSystem/v3-ActReason are" },
        { $$$$"""{{{{{Head}}}},"provision":{"provision":[{"type":"permit","code":[{"text":"HIV tests"}]}]}}""",
          "Consent/c1: Consent.provision.provision[0].code[0].coding is missing" },
        { """{"resourceType":"Group","id":"g1","type":"person","actual":true}""",
          "Group/g1: is not a single Consent resource" },
        { "{\"resourceType\":\"Consent\",", "invalid JSON" },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public void Unsupported_or_malformed_consent_is_rejected_naming_the_element(string json, string expected)
    {
        var error = Assert.Throws<FhirImportException>(() => ConsentCompiler.Compile(json));

        Assert.Contains(expected, error.Message);
    }
}
