using System.Text.Json.Nodes;

namespace PermissionLayer.ExamplePep.Fhir;

/// <summary>Stands in for the FHIR server's database: resources by type and id, as FHIR JSON.</summary>
public sealed class FhirStore(IEnumerable<JsonObject> resources)
{
    private readonly Dictionary<(string Type, string Id), JsonObject> _resources =
        resources.ToDictionary(r => ((string)r["resourceType"]!, (string)r["id"]!));

    public JsonObject? Find(string type, string id) => _resources.GetValueOrDefault((type, id));

    /// <summary>Two patients and one vital-signs Observation each: enough to show permit and deny.</summary>
    public static FhirStore WithExampleResources() => new(ExampleResources.All());
}
