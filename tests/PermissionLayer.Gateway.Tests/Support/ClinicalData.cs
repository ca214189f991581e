using System.Text.Json.Nodes;

namespace PermissionLayer.Gateway.Tests.Support;

/// <summary>
/// The generated data set the upstream is loaded with: <see cref="PatientCount"/> patients, each with
/// a vital-sign and a lab Observation, a Condition, an AllergyIntolerance, an Immunization, a
/// MedicationRequest and an Encounter. Every tenth patient's lab result (ids ending in 3) is
/// labelled HIV; every fourth patient has an Observation <c>obs-perf-i</c> performed by another
/// patient (i + 150), in both compartments; every patient's Observation <c>obs-link-i</c> points (hasMember) at the next
/// patient's vital sign, for the _include tests.
/// </summary>
public static class ClinicalData
{
    public const int PatientCount = 300;
    public const string Loinc = "http://loinc.org";
    public const string HeartRate = "8867-4";
    public const string Glucose = "2345-7";
    public const string ActCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    /// <summary>The resource types that carry a patient's data, each with its patients' element.</summary>
    public static readonly IReadOnlyList<(string Type, string PatientElement)> Types =
    [
        ("Observation", "subject"), ("Condition", "subject"), ("AllergyIntolerance", "patient"),
        ("Immunization", "patient"), ("MedicationRequest", "subject"), ("Encounter", "subject"),
    ];

    public static string Patient(int i) => $"p{i:D4}";

    public static bool IsHivLabelled(int i) => i % 10 == 3;

    public static bool HasForeignPerformer(int i) => i % 4 == 0;

    public static IEnumerable<JsonObject> All() => Enumerable.Range(0, PatientCount).SelectMany(Of);

    private static IEnumerable<JsonObject> Of(int i)
    {
        var p = Patient(i);
        yield return new JsonObject
        {
            ["resourceType"] = "Patient",
            ["id"] = p,
            ["name"] = new JsonArray(new JsonObject { ["family"] = $"Family{i}", ["given"] = new JsonArray($"Given{i}") }),
        };
        yield return Observation($"obs-v-{p}", p, "vital-signs", HeartRate, labelled: false);
        yield return Observation($"obs-l-{p}", p, "laboratory", Glucose, labelled: IsHivLabelled(i));
        var link = Observation($"obs-link-{p}", p, "vital-signs", HeartRate, labelled: false);
        link["hasMember"] = new JsonArray(new JsonObject { ["reference"] = $"Observation/obs-v-{Patient((i + 1) % PatientCount)}" });
        yield return link;
        if (HasForeignPerformer(i))
        {
            // In two compartments: its subject's and its performer's (another patient). A search by
            // subject finds it; a read needs both patients, so the gateway's check of each result drops it.
            var performed = Observation($"obs-perf-{p}", p, "vital-signs", HeartRate, labelled: false);
            performed["performer"] = new JsonArray(Reference(Patient((i + 150) % PatientCount)));
            yield return performed;
        }
        yield return new JsonObject
        {
            ["resourceType"] = "Condition",
            ["id"] = $"cond-{p}",
            ["code"] = Concept("http://snomed.info/sct", "38341003"),
            ["subject"] = Reference(p),
        };
        yield return new JsonObject
        {
            ["resourceType"] = "AllergyIntolerance",
            ["id"] = $"allergy-{p}",
            ["code"] = Concept("http://snomed.info/sct", "91936005"),
            ["patient"] = Reference(p),
        };
        yield return new JsonObject
        {
            ["resourceType"] = "Immunization",
            ["id"] = $"imm-{p}",
            ["status"] = "completed",
            ["vaccineCode"] = Concept("http://hl7.org/fhir/sid/cvx", "140"),
            ["patient"] = Reference(p),
            ["occurrenceDateTime"] = "2025-10-01",
        };
        yield return new JsonObject
        {
            ["resourceType"] = "MedicationRequest",
            ["id"] = $"medrx-{p}",
            ["status"] = "active",
            ["intent"] = "order",
            ["medicationCodeableConcept"] = Concept("http://www.nlm.nih.gov/research/umls/rxnorm", "860975"),
            ["subject"] = Reference(p),
        };
        yield return new JsonObject
        {
            ["resourceType"] = "Encounter",
            ["id"] = $"enc-{p}",
            ["status"] = "finished",
            ["class"] = new JsonObject { ["system"] = "http://terminology.hl7.org/CodeSystem/v3-ActCode", ["code"] = "AMB" },
            ["subject"] = Reference(p),
        };
    }

    public static JsonObject Observation(string id, string patient, string category, string code, bool labelled)
    {
        var observation = new JsonObject
        {
            ["resourceType"] = "Observation",
            ["id"] = id,
            ["status"] = "final",
            ["category"] = new JsonArray(Concept("http://terminology.hl7.org/CodeSystem/observation-category", category)),
            ["code"] = Concept(Loinc, code),
            ["subject"] = Reference(patient),
        };
        if (labelled)
        {
            observation["meta"] = new JsonObject { ["security"] = new JsonArray(new JsonObject { ["system"] = ActCode, ["code"] = "HIV" }) };
        }
        return observation;
    }

    public static JsonObject Reference(string patient) => new() { ["reference"] = "Patient/" + patient };

    private static JsonObject Concept(string system, string code) =>
        new() { ["coding"] = new JsonArray(new JsonObject { ["system"] = system, ["code"] = code }) };
}
