namespace PermissionLayer.Fhir.Imports;

/// <summary>
/// A FHIR import was rejected as a whole. The message names the resource (<c>Type/id</c>), where it
/// came from (NDJSON line, Bundle entry) and the FHIR path of the bad element, so an admin can fix the
/// input; callers map it to INVALID_ARGUMENT.
/// </summary>
public sealed class FhirImportException : Exception
{
    public FhirImportException(string? resource, string? origin, string? path, string problem)
        : base(Compose(resource, origin, path, problem))
    {
        Resource = resource;
        Origin = origin;
        Path = path;
        Problem = problem;
    }

    /// <summary><c>Type/id</c>, or just the type when the id is missing, or null when not even that is known.</summary>
    public string? Resource { get; }

    /// <summary>Where in the input the resource is, e.g. <c>line 3</c> or <c>line 3, Bundle.entry[2]</c>.</summary>
    public string? Origin { get; }

    /// <summary>The FHIR path of the bad element, e.g. <c>Group.member[2].entity.reference</c>.</summary>
    public string? Path { get; }

    /// <summary>What is wrong there.</summary>
    public string Problem { get; }

    private static string Compose(string? resource, string? origin, string? path, string problem)
    {
        var where = origin is null ? resource ?? "resource" : $"{resource ?? "resource"} ({origin})";
        return path is null ? $"{where}: {problem}" : $"{where}: {path} {problem}";
    }
}
