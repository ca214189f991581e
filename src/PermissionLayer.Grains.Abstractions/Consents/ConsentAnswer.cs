namespace PermissionLayer.Grains.Abstractions.Consents;

/// <summary>The consent term for one patient: the reason (consent and provision path) and labels a search must exclude.</summary>
[GenerateSerializer, Immutable]
public sealed record ConsentAnswer(
    [property: Id(0)] bool Permitted,
    [property: Id(1)] string Code,
    [property: Id(2)] string Message,
    [property: Id(3)] string? Source,
    [property: Id(4)] IReadOnlyList<string> ExcludedLabels);
