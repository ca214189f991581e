using PermissionLayer.Core.Requests;
using PermissionLayer.Core.Scopes;
using static PermissionLayer.Fhir.Tests.Scopes.ScopeRules;

namespace PermissionLayer.Fhir.Tests.Scopes;

/// <summary>Each rule of SMART-SCOPES.md, one table at a time.</summary>
public sealed class ScopeEvaluatorRulesTests
{
    private const string Lab = "http://terminology.hl7.org/CodeSystem/observation-category|laboratory";
    private const string Vitals = "http://terminology.hl7.org/CodeSystem/observation-category|vital-signs";
    private static readonly ResourceFacts Own = Facts("123", Lab);

    [Theory]
    [InlineData("c", Interaction.Create, true)]
    [InlineData("c", Interaction.Read, false)]
    [InlineData("r", Interaction.Read, true)]
    [InlineData("r", Interaction.VRead, true)]
    [InlineData("r", Interaction.HistoryInstance, true)]
    [InlineData("r", Interaction.SearchType, false)]
    [InlineData("u", Interaction.Update, true)]
    [InlineData("u", Interaction.Patch, true)]
    [InlineData("u", Interaction.Read, false)]
    [InlineData("d", Interaction.Delete, true)]
    [InlineData("d", Interaction.Update, false)]
    [InlineData("s", Interaction.SearchType, true)]
    [InlineData("s", Interaction.HistoryType, true)]
    [InlineData("s", Interaction.Read, false)]
    [InlineData("cruds", Interaction.Delete, true)]
    public void Each_letter_grants_exactly_its_interactions(string letters, Interaction interaction, bool permitted) =>
        Assert.Equal(permitted, Permits($"user/Observation.{letters}", interaction, stored: Own, proposed: Own));

    [Theory]
    [InlineData("user/Observation.u", false)]
    [InlineData("user/Observation.us", true)]
    [InlineData("user/Observation.ds", true)]
    public void Conditional_writes_need_their_letter_and_s(string scope, bool permitted)
    {
        var interaction = scope.Contains('d') ? Interaction.Delete : Interaction.Update;
        Assert.Equal(permitted, Permits(scope, interaction, stored: Own, proposed: Own, conditional: true));
    }

    [Theory]
    [InlineData("patient/Observation.read", Interaction.SearchType, true)]
    [InlineData("patient/Observation.write", Interaction.Read, false)]
    [InlineData("patient/Observation.write", Interaction.Delete, true)]
    [InlineData("patient/Observation.*", Interaction.Create, true)]
    [InlineData("patient/Observation.read patient/Observation.c", Interaction.Create, true)]
    public void V1_suffixes_map_to_v2_letters_and_mix_with_v2(string scopes, Interaction interaction, bool permitted) =>
        Assert.Equal(permitted, Permits(scopes, interaction, stored: Own, proposed: Own));

    [Fact]
    public void Scopes_are_a_union_but_never_merge_across_scopes()
    {
        // Read comes only from the lab-constrained scope; write from the other: a vitals read is denied.
        var scopes = $"patient/Observation.rs?category={Lab} patient/Observation.cud";
        Assert.False(Permits(scopes, Interaction.Read, stored: Facts("123", Vitals)));
        Assert.True(Permits(scopes, Interaction.Read, stored: Facts("123", Lab)));
        Assert.True(Permits(scopes, Interaction.Update, stored: Facts("123", Vitals), proposed: Facts("123", Vitals)));
    }

    [Fact]
    public void Wildcard_type_covers_every_type()
    {
        Assert.True(Permits("patient/*.rs", Interaction.Read, "MedicationRequest", stored: Facts("123")));
        Assert.True(Permits("user/*.cruds", Interaction.Delete, "Encounter", stored: Facts("9")));
    }

    [Theory]
    [InlineData($"category={Lab}&status=final", "final", true)]
    [InlineData($"category={Lab}&status=final", "preliminary", false)]
    [InlineData($"category={Vitals},{Lab}", "final", true)]
    [InlineData("category=laboratory", "final", true)]
    [InlineData("category=http://other.system|laboratory", "final", false)]
    public void Granular_constraints_are_and_of_or(string query, string status, bool permitted)
    {
        var stored = Facts("123", Lab) with { Status = status };
        Assert.Equal(permitted, Permits($"patient/Observation.rs?{query}", Interaction.Read, stored: stored));
    }

    [Fact]
    public void A_resource_with_several_categories_matches_when_any_does()
    {
        var stored = Facts("123", Vitals, Lab);
        Assert.True(Permits($"patient/Observation.rs?category={Lab}", Interaction.Read, stored: stored));
    }

    [Fact]
    public void Updates_are_checked_on_the_stored_and_the_new_state()
    {
        var scope = $"patient/Observation.u?category={Lab}";
        Assert.True(Permits(scope, Interaction.Update, stored: Facts("123", Lab), proposed: Facts("123", Lab)));
        Assert.False(Permits(scope, Interaction.Update, stored: Facts("123", Lab), proposed: Facts("123", Vitals)));
        Assert.False(Permits(scope, Interaction.Update, stored: Facts("123", Vitals), proposed: Facts("123", Lab)));
        // Moving a resource out of the launch patient's compartment is a write to another patient.
        Assert.False(Permits("patient/Observation.u", Interaction.Update, stored: Facts("123"), proposed: Facts("456")));
    }

    [Fact]
    public void Patient_scope_without_launch_patient_grants_nothing()
    {
        var decision = Decide("patient/Observation.rs", Interaction.Read, launch: null, stored: Own);
        Assert.Equal("scope.no-launch-patient", decision.Reason.Code);
    }

    [Fact]
    public void User_scope_is_not_narrowed_by_the_launch_patient()
    {
        Assert.True(Permits("patient/Observation.rs user/Observation.rs", Interaction.Read, stored: Facts("456")));
        var decision = Decide("patient/Observation.rs user/Observation.rs", Interaction.Read, stored: Facts("456"));
        Assert.Equal([ScopeContext.User], decision.PermittingContexts);
    }

    [Theory]
    [InlineData("Practitioner", true)]
    [InlineData("Organization", true)]
    [InlineData("Location", true)]
    [InlineData("ValueSet", false)]
    public void Shared_types_pass_the_patient_compartment_condition(string type, bool permitted) =>
        Assert.Equal(permitted, Permits($"patient/{type}.rs", Interaction.Read, type, stored: new ResourceFacts { Complete = true }));

    [Fact]
    public void Reads_without_facts_cannot_satisfy_a_patient_scope()
    {
        Assert.False(Permits("patient/Observation.rs", Interaction.Read, stored: null));
        Assert.True(Permits("user/Observation.rs", Interaction.Read, stored: null));
        Assert.False(Permits($"user/Observation.rs?category={Lab}", Interaction.Read, stored: null));
    }

    [Fact]
    public void System_search_filter_keeps_only_covered_types_and_denies_when_none()
    {
        var decision = Decide("patient/Observation.rs patient/Condition.rs", Interaction.SearchSystem, "*", query: "_type=Observation,Encounter");
        Assert.Equal(["Observation"], decision.Filter!.Types);
        Assert.False(Permits("patient/Observation.rs", Interaction.SearchSystem, "*", query: "_type=Encounter"));
        Assert.Null(Decide("patient/*.rs", Interaction.SearchSystem, "*").Filter!.Types);
    }

    [Fact]
    public void Search_filter_is_the_or_of_each_scopes_constraints()
    {
        var decision = Decide($"patient/Observation.rs?category={Lab} patient/Observation.rs?category={Vitals}", Interaction.SearchType);
        Assert.Equal(2, decision.Filter!.AnyOf.Count);
        Assert.All(decision.Filter.AnyOf, b => Assert.Equal("123", b.CompartmentPatient));
        var widened = Decide($"patient/Observation.rs?category={Lab} patient/Observation.s", Interaction.SearchType);
        Assert.Empty(Assert.Single(widened.Filter!.AnyOf).AllOf);
    }

    [Theory]
    [InlineData("patient=123", true)]
    [InlineData("subject=Patient/123", true)]
    [InlineData("patient=456", false)]
    [InlineData("subject=Patient/123,Patient/456", false)]
    public void Patient_search_targeting_another_patient_is_denied(string query, bool permitted) =>
        Assert.Equal(permitted, Permits("patient/Observation.rs", Interaction.SearchType, query: query));

    [Theory]
    [InlineData("openid fhirUser launch launch/patient offline_access online_access profile")]
    [InlineData("__custom http://example.org/scope urn:example:scope")]
    [InlineData("")]
    public void Non_resource_and_extension_scopes_grant_nothing(string scopes)
    {
        Assert.Empty(Parser.Parse(scopes).Scopes);
        Assert.False(Permits(scopes, Interaction.Read, stored: Own));
    }

    [Theory]
    [InlineData("patient/Observation.RS")]
    [InlineData("patient/Observation.rrs")]
    [InlineData("patient/Observation.search")]
    [InlineData("patient/Observaton.rs")]
    [InlineData("patient/Observation")]
    [InlineData("patient/Observation.rs?foo=bar")]
    [InlineData("patient/Observation.rs?category=")]
    [InlineData("patient/Observation.rs?category")]
    [InlineData("user/Observation.rs?code:text=x")]
    public void Malformed_resource_scopes_are_errors_naming_the_scope(string scope)
    {
        var error = Assert.Throws<ScopeFormatException>(() => Parser.Parse($"openid {scope} fhirUser"));
        Assert.Equal(scope, error.Scope);
    }

    [Fact]
    public void Parsed_sets_are_cached_by_text()
    {
        Assert.Same(Parser.Parse("user/Observation.rs"), Parser.Parse("user/Observation.rs"));
    }
}
