using System.Text.Json;
using System.Text.Json.Nodes;

namespace PermissionLayer.Gateway.Fhir;

public static class FhirJson
{
    public const string ContentType = "application/fhir+json";

    /// <summary>Parses a FHIR JSON object; anything else is a refusal (the gateway cannot check what it cannot read).</summary>
    public static JsonObject ParseObject(string? text, string what, int status = StatusCodes.Status502BadGateway)
    {
        try
        {
            if (text is not null && JsonNode.Parse(text) is JsonObject json)
            {
                return json;
            }
        }
        catch (JsonException)
        {
        }
        throw new GatewayRefusal(status, status == StatusCodes.Status400BadRequest ? "invalid" : "exception", $"{what} is not a FHIR JSON object");
    }

    public static string? Text(JsonNode? node, string property) =>
        node is JsonObject o && o[property] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
