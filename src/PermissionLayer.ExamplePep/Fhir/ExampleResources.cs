using System.Text.Json.Nodes;

namespace PermissionLayer.ExamplePep.Fhir;

/// <summary>
/// The example data: Patient/p1 and Patient/p2, Observation/o1 about p1 and Observation/o2 about p2,
/// AllergyIntolerance/a1 of p1 and a2 of p2 (linked through <c>patient</c>, not <c>subject</c>).
/// </summary>
public static class ExampleResources
{
    public static IEnumerable<JsonObject> All() =>
    [
        Patient("p1", "Chalmers", "Peter"),
        Patient("p2", "Lee", "Ana"),
        HeartRate("o1", "p1", 72),
        HeartRate("o2", "p2", 88),
        Allergy("a1", "p1", "peanut"),
        Allergy("a2", "p2", "penicillin"),
    ];

    private static JsonObject Allergy(string id, string patientId, string substance) => new()
    {
        ["resourceType"] = "AllergyIntolerance",
        ["id"] = id,
        ["code"] = new JsonObject { ["text"] = substance },
        ["patient"] = new JsonObject { ["reference"] = "Patient/" + patientId },
    };

    private static JsonObject Patient(string id, string family, string given) => new()
    {
        ["resourceType"] = "Patient",
        ["id"] = id,
        ["name"] = new JsonArray(new JsonObject { ["family"] = family, ["given"] = new JsonArray(given) }),
    };

    private static JsonObject HeartRate(string id, string patientId, int beatsPerMinute) => new()
    {
        ["resourceType"] = "Observation",
        ["id"] = id,
        ["status"] = "final",
        ["category"] = new JsonArray(new JsonObject
        {
            ["coding"] = new JsonArray(Coding("http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs")),
        }),
        ["code"] = new JsonObject { ["coding"] = new JsonArray(Coding("http://loinc.org", "8867-4")) },
        ["subject"] = new JsonObject { ["reference"] = "Patient/" + patientId },
        ["valueQuantity"] = new JsonObject { ["value"] = beatsPerMinute, ["unit"] = "beats/minute" },
    };

    private static JsonObject Coding(string system, string code) => new() { ["system"] = system, ["code"] = code };
}
