namespace PermissionLayer.Fhir.Imports;

/// <summary>The resource being mapped, so every error names it and where it came from.</summary>
internal sealed record ResourceScope(string Name, ResourceOrigin Origin)
{
    public FhirImportException Fail(string? path, string problem) => new(Name, Origin.Describe(), path, problem);
}
