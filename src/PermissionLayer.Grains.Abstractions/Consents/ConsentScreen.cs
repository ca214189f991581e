namespace PermissionLayer.Grains.Abstractions.Consents;

/// <summary>
/// The answer to a <see cref="ConsentScreening"/>. <see cref="Withheld"/>: the patients (sorted) whose
/// consent denies the question, or would withhold some of their data by label — a search that names no
/// patient leaves them out entirely rather than hiding those labels from everyone's results.
/// <see cref="OnlyPermitted"/> is set only for a screening of every patient under a deployment default
/// that denies patients without consent: then just these patients (sorted) may be reached.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ConsentScreen(
    [property: Id(0)] IReadOnlyList<string> Withheld,
    [property: Id(1)] IReadOnlyList<string>? OnlyPermitted,
    [property: Id(2)] int PatientsWithConsents)
{
    /// <summary>Patients let through whose consent would withhold data of another type (what a result may carry inside it).</summary>
    [Id(3)] public IReadOnlyList<string> CarriedWithheld { get; init; } = [];
}
