namespace PermissionLayer.Server.Tests.Consistency.Model;

/// <summary>
/// A search result the suite asks about: an Observation of <see cref="Patients"/> (the first its
/// subject, the others a performer or focus), perhaps carrying contained resources of
/// <see cref="Carried"/> types and one security label. Written into a probe key's label as text, so
/// that keys stay comparable.
/// </summary>
internal sealed record ResultSpec(IReadOnlyList<string> Patients, IReadOnlyList<string> Carried, string? Label)
{
    private static readonly string[][] CarriedChoices = [[], [], ["Condition"], ["Observation"], ["Condition", "Observation"]];
    private static readonly string?[] LabelChoices = [null, null, null, Labels.Restricted, Labels.VeryRestricted, Labels.Hiv, Labels.Psy];

    /// <summary>Three results per patient, drawn from the case's seed: 1–3 patients, carried types, a label.</summary>
    public static IReadOnlyList<ResultSpec> For(ConsistencyCase @case)
    {
        var random = new Random(@case.Seed * 7919 + 17);
        var patients = @case.Graph.Patients;
        var results = new List<ResultSpec>();
        foreach (var subject in patients)
        {
            for (var i = 0; i < 3; i++)
            {
                var others = patients.Where(p => p != subject).OrderBy(_ => random.Next()).Take(random.Next(3)).ToList();
                results.Add(new ResultSpec([subject, .. others], CarriedChoices[random.Next(CarriedChoices.Length)],
                    LabelChoices[random.Next(LabelChoices.Length)]));
            }
        }
        return [.. results.DistinctBy(r => r.Encode())];
    }

    public string Encode() => $"{string.Join(",", Patients)};{string.Join(",", Carried)};{Label}";

    public static ResultSpec Decode(string text)
    {
        var parts = text.Split(';');
        return new ResultSpec(Split(parts[0]), Split(parts[1]), parts[2].Length == 0 ? null : parts[2]);

        static string[] Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries);
    }

    public override string ToString() =>
        $"Observation of {string.Join(", ", Patients)}{(Carried.Count == 0 ? "" : $" carrying {string.Join(", ", Carried)}")}" +
        $"{(Label is null ? "" : $" labelled {Labels.Code(Label)}")}";
}
