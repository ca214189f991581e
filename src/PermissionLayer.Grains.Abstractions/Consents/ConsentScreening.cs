namespace PermissionLayer.Grains.Abstractions.Consents;

/// <summary>
/// A consent question asked of many patients at once: the <see cref="Candidates"/> (sorted ids), or
/// every patient when null (a requester whose grants reach all patients).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ConsentScreening(
    [property: Id(0)] ConsentQuestion Question,
    [property: Id(1)] IReadOnlyList<string>? Candidates);
