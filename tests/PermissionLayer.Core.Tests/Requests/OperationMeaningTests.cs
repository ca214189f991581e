using PermissionLayer.Core.Requests;

namespace PermissionLayer.Core.Tests.Requests;

/// <summary>Operations are checked as what they do; unknown ones are denied.</summary>
public sealed class OperationMeaningTests
{
    private static DecisionRequest Operation(string name, string type, string? id) => new()
    {
        Token = new TokenContext { ClientId = "app", Scope = "user/*.rs" },
        Interaction = Interaction.Operation,
        ResourceType = type,
        ResourceId = id,
        Operation = name,
        Proposed = new ResourceFacts { Patients = ["a"], Complete = true },
    };

    [Theory]
    [InlineData("$everything", "Patient", "a", Interaction.SearchSystem, "*", "patient=a", null)]
    [InlineData("$everything", "Patient", null, Interaction.SearchSystem, "*", null, null)]
    [InlineData("$export", "*", null, Interaction.SearchSystem, "*", null, null)]
    [InlineData("$export", "Patient", null, Interaction.SearchSystem, "*", null, null)]
    [InlineData("$export", "Group", "g1", Interaction.SearchSystem, "*", null, "g1")]
    [InlineData("$validate", "Observation", null, Interaction.Create, "Observation", null, null)]
    [InlineData("$validate", "Observation", "o1", Interaction.Create, "Observation", null, null)]
    public void Supported_operations_become_the_request_they_amount_to(
        string name, string type, string? id, Interaction interaction, string resourceType, string? query, string? group)
    {
        var (meaning, unsupported) = OperationMeaning.Resolve(Operation(name, type, id));
        Assert.Null(unsupported);
        Assert.Equal((interaction, resourceType, query, group), (meaning!.Interaction, meaning.ResourceType, meaning.Query, meaning.WithinGroup));
        Assert.Null(meaning.Operation);
    }

    [Theory]
    [InlineData("$everything", "Encounter", "e1")]
    [InlineData("$everything", "*", null)]
    [InlineData("$export", "Observation", null)]
    [InlineData("$export", "Patient", "a")]
    [InlineData("$purge", "Patient", "a")]
    [InlineData("$meta", "*", null)]
    [InlineData("$validate", "*", null)]
    public void Other_operations_are_denied(string name, string type, string? id)
    {
        var (meaning, unsupported) = OperationMeaning.Resolve(Operation(name, type, id));
        Assert.Null(meaning);
        Assert.Equal("operation.unsupported", unsupported!.Code);
    }
}
