using PermissionLayer.Contracts.V1;
using PermissionLayer.Gateway.Configuration;
using PermissionLayer.Gateway.Fhir;
using PermissionLayer.Gateway.Search;

namespace PermissionLayer.Gateway.Tests.Search;

/// <summary>The obligation written into upstream queries: chunked patient lists, labels, constraints (no I/O).</summary>
public sealed class UpstreamSearchPlanTests
{
    private static readonly IReadOnlySet<string> LabelSystems =
        GatewaySettings.DefaultLabelSystems.Split(',').ToHashSet(StringComparer.Ordinal);

    private static SearchObligation Confined(params string[] patients)
    {
        var obligation = new SearchObligation { Patients = new PatientRestriction { Complete = true } };
        obligation.Patients.PatientIds.AddRange(patients);
        obligation.AnyOf.Add(new FilterBranch { ResourceType = "Observation", Context = "user" });
        return obligation;
    }

    private static UpstreamSearchPlan Plan(SearchObligation obligation, string type = "Observation", string query = "", int maxUrl = 8000) =>
        UpstreamSearchPlan.For(type, QueryParameters.Parse(query), obligation, 20, maxUrl, "http://127.0.0.1:8103/".Length, LabelSystems);

    [Fact]
    public void A_long_patient_list_is_split_into_searches_below_the_url_bound_and_keeps_every_patient()
    {
        var patients = Enumerable.Range(0, 400).Select(i => $"patient-{i:D5}").ToArray();
        var plan = Plan(Confined(patients), maxUrl: 2000);
        Assert.True(plan.Chunks.Count > 1);
        Assert.All(plan.Chunks, c => Assert.True("http://127.0.0.1:8103/".Length + c.Length <= 2000, c.Length.ToString()));
        var named = plan.Chunks.SelectMany(c => Uri.UnescapeDataString(c.Split("subject=")[1]).Split(',')).ToList();
        Assert.Equal(patients.Select(p => "Patient/" + p), named);
    }

    [Theory]
    [InlineData("Patient", "_id=a,b")]
    [InlineData("Observation", "subject=Patient%2Fa,Patient%2Fb")]
    [InlineData("AllergyIntolerance", "patient=Patient%2Fa,Patient%2Fb")]
    [InlineData("Encounter", "patient=Patient%2Fa,Patient%2Fb")]
    [InlineData("MedicationRequest", "subject=Patient%2Fa,Patient%2Fb")]
    public void The_patient_restriction_uses_the_types_compartment_parameter(string type, string expected)
    {
        var plan = Plan(Confined("a", "b"), type);
        Assert.EndsWith("&" + expected, Assert.Single(plan.Chunks));
    }

    [Fact]
    public void No_patient_left_means_no_upstream_search_and_all_patients_means_no_restriction()
    {
        Assert.Empty(Plan(Confined()).Chunks);
        var all = new SearchObligation { Patients = new PatientRestriction { AllPatients = true } };
        Assert.Equal("Observation?code=x&_count=20", Assert.Single(Plan(all, query: "code=x").Chunks));
    }

    [Fact]
    public void An_incomplete_patient_list_is_refused_not_searched_wider()
    {
        var obligation = new SearchObligation { Patients = new PatientRestriction { Complete = false } };
        obligation.Patients.PatientIds.Add("a");
        Assert.Equal(403, Assert.Throws<GatewayRefusal>(() => Plan(obligation)).Status);
        Assert.Equal(403, Assert.Throws<GatewayRefusal>(() => Plan(new SearchObligation())).Status);
        Assert.Equal(403, Assert.Throws<GatewayRefusal>(() => Plan(null!)).Status);
    }

    [Fact]
    public void Excluded_labels_in_the_upstreams_systems_become_security_not_and_the_constraints_are_added()
    {
        var obligation = Confined("a");
        obligation.ExcludedSecurityLabels.Add("http://terminology.hl7.org/CodeSystem/v3-ActCode|HIV");
        obligation.ExcludedSecurityLabels.Add("urn:oid:2.16.840.1.113883.5.4|HIV");
        obligation.AnyOf[0].AllOf.Add(new FilterConstraint { Parameter = "code", AnyOf = { "http://loinc.org|8867-4", "http://loinc.org|a,b" } });
        var chunk = Assert.Single(Plan(obligation).Chunks);
        Assert.Contains("_security:not=http%3A%2F%2Fterminology.hl7.org%2FCodeSystem%2Fv3-ActCode%7CHIV", chunk);
        Assert.DoesNotContain("urn%3Aoid", chunk);
        Assert.Contains("code=http%3A%2F%2Floinc.org%7C8867-4,http%3A%2F%2Floinc.org%7Ca%5C%2Cb", chunk);
    }

    [Fact]
    public void Branches_with_different_constraints_are_left_to_the_check_of_each_result()
    {
        var obligation = Confined("a");
        obligation.AnyOf[0].AllOf.Add(new FilterConstraint { Parameter = "code", AnyOf = { "x|1" } });
        obligation.AnyOf.Add(new FilterBranch { ResourceType = "Observation", AllOf = { new FilterConstraint { Parameter = "category", AnyOf = { "y|2" } } } });
        var chunk = Assert.Single(Plan(obligation).Chunks);
        Assert.DoesNotContain("code=", chunk);
        Assert.DoesNotContain("category=", chunk);
    }
}
