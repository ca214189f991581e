namespace PermissionLayer.Grains.Abstractions.Consents;

/// <summary>
/// "Do this patient's consents allow this?" Everything the evaluation needs travels in the question
/// (the requester's actor set included), so the patient's grain answers from memory with no further call.
/// Tokens are <c>system|code</c> strings.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ConsentQuestion(
    [property: Id(0)] IReadOnlyList<string> Actors,
    [property: Id(1)] IReadOnlyList<string> Actions,
    [property: Id(2)] string Purpose,
    [property: Id(3)] string ResourceType,
    [property: Id(4)] IReadOnlyList<string> Codes,
    [property: Id(5)] IReadOnlyList<string> Labels,
    [property: Id(6)] DateTimeOffset? RecordedAt,
    [property: Id(7)] string? Reference,
    [property: Id(8)] DateTimeOffset At,
    [property: Id(9)] bool DataUnknown,
    [property: Id(10)] bool FactsComplete = false)
{
    /// <summary>Types of the resources the data carries inside it.</summary>
    [Id(11)] public IReadOnlyList<string> CarriedTypes { get; init; } = [];
}
