using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Validation;

namespace PermissionLayer.Fhir.Imports;

/// <summary>
/// Parses one JSON document into a FHIR R4 resource, strictly: unknown elements, bad codes, bad
/// literals and missing required elements are errors, because a misspelt <c>member</c> read leniently
/// would silently import an empty group.
/// </summary>
internal static class FhirResourceParser
{
    // Narrative is not checked: it is display text, never read for entitlements.
    private static readonly FhirJsonDeserializer Deserializer =
        new(new DeserializerSettings().UsingMode(DeserializationMode.Strict, NarrativeValidationKind.None));

    public static Resource Parse(string json, ResourceOrigin origin)
    {
        // A byte-order mark is not JSON, but editors leave one at the start of a file.
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json.TrimStart('\uFEFF')));
        try
        {
            var peek = reader;
            if (!peek.Read() || peek.TokenType != JsonTokenType.StartObject)
            {
                throw new FhirImportException(null, origin.Describe(), null, $"invalid FHIR JSON: expected an object, found {peek.TokenType}");
            }
            if (!Deserializer.TryDeserializeResource(ref reader, out var resource, out var issues))
            {
                throw DeserializationIssues.ToException(resource, [.. issues], origin);
            }
            // Anything after the resource (a second object, stray text) is rejected by the reader itself.
            reader.Read();
            return resource;
        }
        catch (JsonException exception)
        {
            throw new FhirImportException(null, origin.Describe(), null, $"invalid JSON: {exception.Message}");
        }
        catch (Exception exception) when (exception is not FhirImportException and not OperationCanceledException)
        {
            // The SDK's failure modes on hostile input are not all documented; any of them means the
            // input is not a resource we can read, never a reason to import part of it.
            throw new FhirImportException(null, origin.Describe(), null, $"invalid FHIR JSON: {exception.Message}");
        }
    }
}
