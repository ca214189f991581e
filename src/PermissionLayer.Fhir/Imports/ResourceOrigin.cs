namespace PermissionLayer.Fhir.Imports;

/// <summary>Where a resource sits in the input: its NDJSON line and the Bundle entries around it.</summary>
internal readonly record struct ResourceOrigin(int? Line, string? Entry)
{
    public ResourceOrigin InEntry(int index) =>
        this with { Entry = Entry is null ? $"Bundle.entry[{index}]" : $"{Entry} > Bundle.entry[{index}]" };

    /// <summary>E.g. <c>line 3, Bundle.entry[2]</c>; null for a lone resource read from one document.</summary>
    public string? Describe() => (Line, Entry) switch
    {
        (null, null) => null,
        (null, { } entry) => entry,
        ({ } line, null) => $"line {line}",
        ({ } line, { } entry) => $"line {line}, {entry}",
    };
}
