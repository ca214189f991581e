namespace PermissionLayer.ExamplePep.Fhir;

public static class FhirJson
{
    public const string ContentType = "application/fhir+json";
}
