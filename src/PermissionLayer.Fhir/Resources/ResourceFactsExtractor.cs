using System.Text.Json;
using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using PermissionLayer.Core.Compartments;
using PermissionLayer.Core.Requests;

namespace PermissionLayer.Fhir.Resources;

/// <summary>
/// Extracts <see cref="ResourceFacts"/> from FHIR R4 JSON: the patients whose compartment the
/// resource is in (through the compartment's own search parameters, evaluated as FHIRPath over
/// the parsed resource), and the category, code, tags, security labels and status.
/// </summary>
public static class ResourceFactsExtractor
{
    private static readonly FhirJsonDeserializer Deserializer = new();

    public static (string ResourceType, ResourceFacts Facts) Extract(string json)
    {
        Resource resource;
        try
        {
            resource = Deserializer.DeserializeResource(json);
        }
        catch (Exception e) when (e is DeserializationFailedException or JsonException or FormatException)
        {
            throw new FhirInputException($"not a valid FHIR R4 resource: {e.Message}", e);
        }
        return (resource.TypeName, Extract(resource));
    }

    public static ResourceFacts Extract(Resource resource)
    {
        var type = resource.TypeName;
        return new ResourceFacts
        {
            Patients = CompartmentPatients(resource, type),
            Category = Codings(resource, "category.coding"),
            Code = Codings(resource, "code.coding"),
            Tag = [.. resource.Meta?.Tag.Select(ToToken) ?? []],
            Security = [.. resource.Meta?.Security.Select(ToToken) ?? []],
            Status = resource.Select("status").OfType<PrimitiveType>().FirstOrDefault()?.ToString(),
            Reference = resource.Id is { Length: > 0 } id ? $"{type}/{id}" : null,
        };
    }

    private static IReadOnlyList<string> CompartmentPatients(Resource resource, string type)
    {
        if (resource is Patient patient)
        {
            return string.IsNullOrEmpty(patient.Id) ? [] : [patient.Id];
        }
        var parameters = PatientCompartment.R4.ParametersOf(type);
        var expressions = ModelInfo.SearchParameters
            .Where(p => p.Resource == type && parameters.Contains(p.Name) && p.Expression is not null)
            .Select(p => p.Expression!);
        return expressions
            .SelectMany(expression => resource.Select(expression))
            .OfType<ResourceReference>()
            .Select(r => r.Reference)
            .Where(r => r is not null && r.StartsWith("Patient/", StringComparison.Ordinal))
            .Select(r => r!["Patient/".Length..].Split('/')[0])
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    private static IReadOnlyList<Token> Codings(Resource resource, string path) =>
        [.. resource.Select(path).OfType<Coding>().Select(ToToken)];

    private static Token ToToken(Coding coding) => new(coding.System, coding.Code ?? "");
}
