using System.Text.Json;
using PermissionLayer.Core.Imports;
using PermissionLayer.Fhir.Imports;

namespace PermissionLayer.Fhir.Tests.Imports;

public sealed class BundleTests
{
    private readonly FhirImportReader _reader = new();

    [Fact]
    public void Transaction_bundle_of_mixed_resources_maps_every_entry_in_order()
    {
        var facts = _reader.ReadJson(Fixture.Text("bundle-transaction.json"));

        Assert.Equal(
            ["Group/ward-4b", "CareTeam/diabetes-team", "List/panel-dr-smith", "PractitionerRole/example", "Consent/consent-pat1"],
            facts.Select(fact => fact.Resource.ToString()));
        Assert.Equal(4, Assert.IsType<ImportedGroup>(facts[0]).Members.Count);
    }

    [Fact]
    public void Consent_in_a_bundle_keeps_the_entry_json_as_received()
    {
        var facts = _reader.ReadJson(Fixture.Text("bundle-transaction.json"));

        var consent = Assert.IsType<ImportedConsentJson>(facts[^1]);
        using var received = JsonDocument.Parse(Fixture.Text("consent.json"));
        using var passed = JsonDocument.Parse(consent.Json);
        Assert.True(JsonElement.DeepEquals(received.RootElement, passed.RootElement));
    }

    [Fact]
    public void Collection_bundle_maps_its_entries()
    {
        var facts = _reader.ReadJson(Fixture.Text("bundle-collection.json"));

        Assert.Equal(["Group/herd1", "PractitionerRole/locum"], facts.Select(fact => fact.Resource.ToString()));
        var role = Assert.IsType<ImportedPractitionerRole>(facts[1]);
        Assert.Null(role.OrganizationReference);
        Assert.True(role.Active);
        Assert.Equal(new DateTimeOffset(2024, 7, 1, 6, 0, 0, TimeSpan.Zero), role.PeriodStart);
    }

    [Theory]
    [InlineData("batch")]
    [InlineData("searchset")]
    [InlineData("collection")]
    public void Any_bundle_type_is_read(string type)
    {
        var json = $$$"""
            {"resourceType":"Bundle","type":"{{{type}}}","entry":[
              {"resource":{"resourceType":"Group","id":"g1","type":"person","actual":true,"member":[{"entity":{"reference":"Patient/p1"}}]}}]}
            """;

        var group = Assert.IsType<ImportedGroup>(Assert.Single(_reader.ReadJson(json)));

        Assert.Equal("p1", Assert.Single(group.Members).PatientId);
    }

    [Fact]
    public void Empty_bundle_yields_no_facts()
    {
        Assert.Empty(_reader.ReadJson("""{"resourceType":"Bundle","type":"collection"}"""));
    }
}
