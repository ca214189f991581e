using System.Text.Json;
using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using PermissionLayer.Core.Compartments;
using PermissionLayer.Core.References;
using PermissionLayer.Core.Requests;

namespace PermissionLayer.Fhir.Resources;

/// <summary>
/// Extracts <see cref="ResourceFacts"/> from FHIR R4 JSON: the patients whose compartment the
/// resource is in (through the compartment's own search parameters, evaluated as FHIRPath over
/// the parsed resource), and the category, code, tags, security labels and status.
/// </summary>
public static partial class ResourceFactsExtractor
{
    private static readonly FhirJsonDeserializer Deserializer = new();

    /// <summary>Resolves relative references only (no base URL of this server is known).</summary>
    public static readonly PatientReferenceResolver RelativeOnly = new([], R4ResourceTypes.Instance);

    public static (string ResourceType, ResourceFacts Facts) Extract(string json) => Extract(json, RelativeOnly);

    public static (string ResourceType, ResourceFacts Facts) Extract(string json, PatientReferenceResolver patients)
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
        return (resource.TypeName, Extract(resource, patients));
    }

    public static ResourceFacts Extract(Resource resource, PatientReferenceResolver patients)
    {
        var type = resource.TypeName;
        var (resolved, unresolved) = CompartmentPatients(resource, type, patients);
        var (codes, codeUnknown) = Codes(resource, type);
        return new ResourceFacts
        {
            Patients = resolved,
            UnresolvedPatientReferences = unresolved,
            // The whole resource was read: an empty list means the resource carries none.
            Complete = true,
            CodeUnknown = codeUnknown,
            Category = Codings(resource, "category.coding"),
            Code = codes,
            Tag = [.. resource.Meta?.Tag.Select(ToToken) ?? []],
            // Contained resources travel with their container: their labels are the container's too.
            Security = [.. Labelled(resource).SelectMany(r => r.Meta?.Security ?? []).Select(ToToken).Distinct()],
            Status = resource.Select("status").OfType<PrimitiveType>().FirstOrDefault()?.ToString(),
            Reference = resource.Id is { Length: > 0 } id ? $"{type}/{id}" : null,
        };
    }

    private static (IReadOnlyList<string> Patients, IReadOnlyList<string> Unresolved) CompartmentPatients(
        Resource resource, string type, PatientReferenceResolver resolver)
    {
        var patients = new List<string>();
        var unresolved = new List<string>();
        if (resource is Patient patient && !string.IsNullOrEmpty(patient.Id))
        {
            patients.Add(patient.Id);
        }
        // A contained id that several resources share cannot be told apart: it names no type (unresolved).
        var contained = resource is DomainResource domain
            ? domain.Contained.Where(c => c.Id is not null).GroupBy(c => c.Id)
                .ToDictionary(g => "#" + g.Key, g => g.Count() == 1 ? g.First().TypeName : null)
            : [];
        foreach (var (name, expression) in ElementsOf(type).Compartment)
        {
            foreach (var reference in resource.Select(expression).OfType<ResourceReference>())
            {
                if (reference.Reference is null && reference.Identifier is null && reference.Display is null && reference.Type is null)
                {
                    continue; // an empty element names nobody
                }
                var containedType = reference.Reference is { } r && contained.TryGetValue(r, out var t) ? t : null;
                var resolution = resolver.Resolve(reference.Reference, reference.Type, containedType);
                if (resolution.PatientId is { } id)
                {
                    patients.Add(id);
                }
                else if (resolution.IsUnresolved)
                {
                    unresolved.Add($"{type}.{name}");
                }
            }
        }
        return ([.. patients.Distinct(StringComparer.Ordinal)], [.. unresolved.Distinct(StringComparer.Ordinal)]);
    }

    /// <summary>
    /// A compartment parameter's expression without its <c>.where(resolve() is Patient)</c> filters:
    /// with no resolver they select nothing, which would skip a subject altogether. Every reference in
    /// the element is then judged by the resolver, which counts only references to our Patients.
    /// </summary>
    private static string Unfiltered(string expression) => ResolveFilter().Replace(expression, "");

    [System.Text.RegularExpressions.GeneratedRegex(@"\.where\(resolve\(\) is [A-Za-z]+\)")]
    private static partial System.Text.RegularExpressions.Regex ResolveFilter();

    /// <summary>Where a type keeps its patients and its code, as FHIRPath: found once per type, not per request.</summary>
    private sealed record TypeElements(IReadOnlyList<(string Name, string Expression)> Compartment, IReadOnlyList<string> Code);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, TypeElements> Elements = new(StringComparer.Ordinal);

    private static TypeElements ElementsOf(string type) => Elements.GetOrAdd(type, static t =>
    {
        var parameters = PatientCompartment.R4.ParametersOf(t);
        var ofType = ModelInfo.SearchParameters.Where(p => p.Resource == t && p.Expression is not null).ToList();
        return new TypeElements(
            [.. ofType.Where(p => parameters.Contains(p.Name)).Select(p => (p.Name!, Unfiltered(p.Expression!)))],
            [.. ofType.Where(p => p.Name is "code" or "vaccine-code").Select(p => p.Expression!).Append("code")]);
    });

    private static IEnumerable<Resource> Labelled(Resource resource) =>
        resource is DomainResource domain ? [resource, .. domain.Contained] : [resource];

    /// <summary>
    /// The resource's code, read where the type's own <c>code</c> search parameter looks (a
    /// MedicationRequest's is its medication, an Immunization's its vaccineCode), plus <c>code</c>
    /// itself. A code held in another resource (a medicationReference) cannot be read here: unknown.
    /// </summary>
    private static (IReadOnlyList<Token> Codes, bool Unknown) Codes(Resource resource, string type)
    {
        var values = ElementsOf(type).Code.SelectMany(e => resource.Select(e)).ToList();
        var codes = values.SelectMany(v => v switch
        {
            CodeableConcept concept => concept.Coding,
            Coding coding => [coding],
            _ => Enumerable.Empty<Coding>(),
        }).Select(ToToken).Distinct().ToList();
        return (codes, values.Any(v => v is ResourceReference));
    }

    private static IReadOnlyList<Token> Codings(Resource resource, string path) =>
        [.. resource.Select(path).OfType<Coding>().Select(ToToken)];

    private static Token ToToken(Coding coding) => new(coding.System, coding.Code ?? "");
}
