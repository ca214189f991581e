using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Requests;

namespace PermissionLayer.Core.Tests.Decisions;

/// <summary>
/// The consent question's recorded time: one instant only when it is every state's. An update's new
/// state may lie in another data period than its stored one, or not say; a history's facts stand for
/// every version — then the time is unknown, so a dataPeriod deny may apply (review 8).
/// </summary>
public sealed class ConsentQuestionTests
{
    private static readonly DateTimeOffset Old = new(2020, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset New = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static ResourceFacts At(DateTimeOffset? recorded, bool allVersions = false) =>
        new() { Patients = ["p"], Complete = true, RecordedAt = recorded, AllVersions = allVersions, Reference = "Observation/o" };

    public static TheoryData<string, Interaction, ResourceFacts?, ResourceFacts?, DateTimeOffset?> Cases() => new()
    {
        { "read", Interaction.Read, At(Old), null, Old },
        { "update, same time", Interaction.Update, At(New), At(New), New },
        { "update, other times", Interaction.Update, At(Old), At(New), null },
        { "update, new state says nothing", Interaction.Update, At(Old), At(null), null },
        { "create", Interaction.Create, null, At(New), New },
        { "history of every version", Interaction.HistoryInstance, At(Old, allVersions: true), null, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_recorded_time_is_known_only_when_every_state_says_the_same(
        string name, Interaction interaction, ResourceFacts? stored, ResourceFacts? proposed, DateTimeOffset? expected)
    {
        var request = new DecisionRequest
        {
            Token = new TokenContext { ClientId = "app", Scope = "user/Observation.cruds" },
            Interaction = interaction, ResourceType = "Observation", ResourceId = interaction == Interaction.Create ? null : "o",
            Stored = stored, Proposed = proposed,
        };
        var question = DecisionCore.ConsentQuestion(request, search: false, ["Practitioner/u"], "TREAT", New);
        Assert.True(expected == question.RecordedAt, $"{name}: {question.RecordedAt}");
    }
}
