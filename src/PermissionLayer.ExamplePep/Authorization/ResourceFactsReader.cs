using System.Text.Json.Nodes;
using PermissionLayer.Contracts.V1;

namespace PermissionLayer.ExamplePep.Authorization;

/// <summary>
/// Extracts the facts PermissionLayer decides on from a stored resource: whose compartment it is in,
/// its category, code, status and security labels. A real server would use its FHIR model and the
/// patient compartment definition; two resource types need only the fields below.
/// </summary>
public static class ResourceFactsReader
{
    public static ResourceFacts Read(JsonObject resource)
    {
        var facts = new ResourceFacts { Status = (string?)resource["status"] ?? "" };
        if ((string?)resource["resourceType"] == "Patient")
        {
            facts.Patients.Add((string)resource["id"]!);
        }
        else if (PatientId(resource["subject"]) is { } subject)
        {
            facts.Patients.Add(subject);
        }
        facts.Category.AddRange(((resource["category"] as JsonArray) ?? []).SelectMany(Tokens));
        facts.Code.AddRange(Tokens(resource["code"]));
        facts.Security.AddRange(((resource["meta"]?["security"] as JsonArray) ?? []).Select(Token).OfType<string>());
        return facts;
    }

    private static string? PatientId(JsonNode? reference) =>
        (string?)reference?["reference"] is { } value && value.StartsWith("Patient/", StringComparison.Ordinal)
            ? value["Patient/".Length..]
            : null;

    private static IEnumerable<string> Tokens(JsonNode? codeableConcept) =>
        ((codeableConcept?["coding"] as JsonArray) ?? []).Select(Token).OfType<string>();

    private static string? Token(JsonNode? coding) =>
        (string?)coding?["code"] is { Length: > 0 } code
            ? (string?)coding["system"] is { Length: > 0 } system ? $"{system}|{code}" : code
            : null;
}
