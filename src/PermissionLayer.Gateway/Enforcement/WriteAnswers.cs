using System.Text.Json.Nodes;
using PermissionLayer.Gateway.Fhir;
using PermissionLayer.Gateway.Search;

namespace PermissionLayer.Gateway.Enforcement;

/// <summary>
/// What a write's answer may carry back. A FHIR server answers a write with a resource that need not be
/// the state that was decided — a conditional create whose criteria matched returns the EXISTING
/// resource (review 14) — so every resource in the answer (the body, or each batch/transaction-response
/// entry's <c>resource</c>) is decided as a read by the same token, as search results are
/// (<see cref="ResultFilter"/>). One that is not permitted is left out; the status, Location, ETag and
/// any OperationOutcome stay, so the client still learns what happened to its write.
/// </summary>
public sealed class WriteAnswers(ResultFilter results)
{
    /// <summary>A single write's answer body: itself when it is an OperationOutcome or a permitted read; else none.</summary>
    public async Task<string?> BodyAsync(string body, GatewayRequest request)
    {
        if (body.Length == 0)
        {
            return null;
        }
        // Not FHIR JSON: nothing a read could be decided on, so nothing of it is passed on.
        if (Parsed(body) is not { } resource)
        {
            return null;
        }
        if (FhirJson.Text(resource, "resourceType") == "OperationOutcome")
        {
            return body;
        }
        var permitted = await results.PermittedAsync([new JsonObject { ["resource"] = resource.DeepClone() }], request);
        return permitted[0] ? body : null;
    }

    /// <summary>The answer as a JSON object, or null when it is not one.</summary>
    public static JsonObject? Parsed(string body)
    {
        try
        {
            return FhirJson.ParseObject(body, "the FHIR server's answer");
        }
        catch (GatewayRefusal)
        {
            return null;
        }
    }

    /// <summary>Takes out of a Bundle answer's entries every resource a read would not be given.</summary>
    public async Task StripAsync(JsonArray entries, GatewayRequest request)
    {
        var carrying = entries.OfType<JsonObject>()
            .Where(e => e["resource"] is JsonObject r && FhirJson.Text(r, "resourceType") != "OperationOutcome").ToList();
        if (carrying.Count == 0)
        {
            return;
        }
        var permitted = await results.PermittedAsync(carrying, request);
        for (var i = 0; i < carrying.Count; i++)
        {
            if (!permitted[i])
            {
                carrying[i].Remove("resource");
            }
        }
    }
}
