using PermissionLayer.Core.Requests;

namespace PermissionLayer.Core.Tests.Requests;

/// <summary>Searches that select by another resource's data are denied, not decided as searches of the outer type.</summary>
public sealed class UncheckableSearchTests
{
    private static DecisionRequest Search(string type, string query) => new()
    {
        Token = new TokenContext { ClientId = "app", Scope = "user/*.rs", FhirUser = "Practitioner/x" },
        Interaction = type == "*" ? Interaction.SearchSystem : Interaction.SearchType,
        ResourceType = type,
        Query = query,
    };

    [Theory]
    [InlineData("Patient", "_has:Observation:patient:code=http://loinc.org|7918-6")]
    [InlineData("Encounter", "patient=a&diagnosis:Condition.code=http://snomed.info/sct|86406008")]
    [InlineData("Encounter", "patient=a&reason-reference.code=86406008")]
    [InlineData("Observation", "subject:Patient.name=Smith")]
    [InlineData("Observation", "patient.identifier=mrn|1")]
    [InlineData("Observation", "subject%3APatient.name=Smith")]
    [InlineData("Encounter", "patient=a&_filter=diagnosis.code eq 86406008")]
    [InlineData("Observation", "_query=current-high-risk")]
    [InlineData("Observation", "_contained=true")]
    [InlineData("*", "_has:Observation:patient:code=x")]
    [InlineData("Condition", "patient=a&_list=sensitive-problems")]
    public void A_search_selecting_by_another_resources_data_is_denied(string type, string query)
    {
        var reason = RequestContract.Undecidable(Search(type, query));
        Assert.NotNull(reason);
        Assert.Equal("search.reverse-chain", reason.Code);
        Assert.Equal(PermissionLayer.Core.Decisions.Outcome.Deny, reason.Outcome);
    }

    [Theory]
    [InlineData("_typeFilter=Encounter%3Fdiagnosis%3ACondition.code%3Dhttp%3A%2F%2Fsnomed.info%2Fsct%7C86406008")]
    [InlineData("_typeFilter=Observation%3Fcategory%3Dlaboratory,Patient%3F_has%3ACondition%3Apatient%3Acode%3Dx")]
    [InlineData("_filter=diagnosis.code eq 86406008")]
    public void An_operation_whose_parameters_select_by_another_resources_data_is_denied(string query)
    {
        var export = new DecisionRequest
        {
            Token = new TokenContext { ClientId = "app", Scope = "system/*.rs" },
            Interaction = Interaction.Operation, ResourceType = "*", Operation = "$export", Query = query,
        };
        Assert.Equal("search.reverse-chain", RequestContract.Undecidable(export)?.Code);
    }

    [Fact]
    public void A_conditional_write_is_held_to_the_search_rule_and_touches_the_patients_its_criteria_name()
    {
        var create = Search("Observation", "_has:Condition:patient:code=x") with
        {
            Interaction = Interaction.Create, Conditional = true, Proposed = new ResourceFacts { Patients = ["a"], Complete = true },
        };
        Assert.Equal("search.reverse-chain", RequestContract.Undecidable(create)?.Code);
        Assert.Equal(["a", "b"], (create with { Query = "patient=b&code=x" }).TouchedPatients);
    }

    [Theory]
    [InlineData("Observation", "patient=a&code=http://loinc.org|1234-5&_include=Observation:patient")]
    [InlineData("Observation", "patient=a&_contained=false&_sort=-date&code:text=glucose")]
    [InlineData("Patient", "_id=a")]
    public void An_ordinary_search_is_decided(string type, string query) =>
        Assert.Null(RequestContract.Undecidable(Search(type, query)));
}
