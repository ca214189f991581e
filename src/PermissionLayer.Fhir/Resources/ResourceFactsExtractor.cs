using System.Text.Json;
using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using PermissionLayer.Core.Compartments;
using PermissionLayer.Core.References;
using PermissionLayer.Core.Requests;

namespace PermissionLayer.Fhir.Resources;

/// <summary>
/// Extracts <see cref="ResourceFacts"/> from FHIR R4 JSON: the patients whose data the resource
/// holds (its compartment elements, evaluated as FHIRPath over the parsed resource, those of what it
/// carries, and any reference to one of our Patients), and the category, codes, tags, security
/// labels and status.
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
        // Every element of the resource and of what it carries, read once for patients and codes.
        var elements = resource.Select("descendants()").OfType<Base>().ToList();
        var carried = Carried(resource).ToList();
        var (resolved, unresolved) = Patients(resource, carried, elements, patients);
        var (codes, codeUnknown) = Codes(carried, elements);
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
            // Resources travel with the resource that carries them (contained ones, a Bundle's entries):
            // their labels are its labels too.
            Security = [.. carried.SelectMany(r => r.Meta?.Security ?? []).Select(ToToken).Distinct()],
            Status = resource.Select("status").OfType<PrimitiveType>().FirstOrDefault()?.ToString(),
            Reference = resource.Id is { Length: > 0 } id ? $"{type}/{id}" : null,
            CarriedTypes = [.. carried.Skip(1).Select(r => r.TypeName).Where(t => t != type).Distinct().Order(StringComparer.Ordinal)],
        };
    }

    /// <summary>
    /// Whose data the resource holds: the patients of its compartment elements and of every resource it
    /// carries (contained ones, a Bundle's entries, a Parameters' resources), each read through its own
    /// type's compartment elements; and any other reference anywhere in it that names one of our
    /// Patients (a Task's <c>for</c>, a Binary's <c>securityContext</c>, an Observation's <c>focus</c>):
    /// data about a patient is theirs, in the compartment definition or not.
    /// </summary>
    private static (IReadOnlyList<string> Patients, IReadOnlyList<string> Unresolved) Patients(
        Resource resource, IReadOnlyList<Resource> carried, IReadOnlyList<Base> elements, PatientReferenceResolver resolver)
    {
        var patients = new List<string>();
        var unresolved = new List<string>();
        foreach (var (held, index) in carried.Select((r, i) => (r, i)))
        {
            var prefix = index == 0 ? held.TypeName : $"{resource.TypeName}(carried {held.TypeName})";
            CompartmentPatients(held, prefix, resolver, patients, unresolved);
        }
        // Contained ids anywhere in the resource: what a "#id" elsewhere than a compartment element names.
        var containedTypes = carried.OfType<DomainResource>().SelectMany(d => d.Contained).Where(c => c.Id is not null)
            .GroupBy(c => "#" + c.Id).ToDictionary(g => g.Key, g => g.Count() == 1 ? g.First().TypeName : null);
        foreach (var reference in elements.OfType<ResourceReference>())
        {
            var containedType = reference.Reference is { } r && containedTypes.TryGetValue(r, out var t) ? t : null;
            var resolution = resolver.Resolve(reference.Reference, reference.Type, containedType);
            if (resolution.PatientId is { } id)
            {
                patients.Add(id);
            }
            else if (resolution.IsUnresolved && PatientReferenceResolver.NamesPatient(reference.Reference, reference.Type, containedType))
            {
                unresolved.Add($"{resource.TypeName} (a reference to a Patient)");
            }
        }
        return ([.. patients.Distinct(StringComparer.Ordinal)], [.. unresolved.Distinct(StringComparer.Ordinal)]);
    }

    private static void CompartmentPatients(
        Resource resource, string path, PatientReferenceResolver resolver, List<string> patients, List<string> unresolved)
    {
        var type = resource.TypeName;
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
                    unresolved.Add($"{path}.{name}");
                }
            }
        }
    }

    /// <summary>The resource and every resource it carries, at any depth: contained resources, Bundle entries, Parameters' resources.</summary>
    private static IEnumerable<Resource> Carried(Resource resource)
    {
        yield return resource;
        IEnumerable<Resource> held = resource switch
        {
            Bundle bundle => bundle.Entry.Select(e => e.Resource).OfType<Resource>(),
            Parameters parameters => parameters.Parameter.SelectMany(Flatten).Select(p => p.Resource).OfType<Resource>(),
            _ => [],
        };
        if (resource is DomainResource domain)
        {
            held = held.Concat(domain.Contained);
        }
        foreach (var inner in held.SelectMany(Carried))
        {
            yield return inner;
        }
    }

    private static IEnumerable<Parameters.ParameterComponent> Flatten(Parameters.ParameterComponent parameter) =>
        [parameter, .. parameter.Part.SelectMany(Flatten)];

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

    /// <summary>
    /// Every code the resource carries (R4 Consent.provision.code: "if this code is found in an
    /// instance, the rule applies"): each Coding anywhere in it or in what it carries (its code, a
    /// reason, a value, a component), but not the security labels and tags of <c>meta</c>, which
    /// consent matches as labels. A code held in another resource (a MedicationRequest's
    /// medicationReference, where the type's <c>code</c> search parameter looks) cannot be read: unknown.
    /// </summary>
    private static (IReadOnlyList<Token> Codes, bool Unknown) Codes(IReadOnlyList<Resource> carried, IReadOnlyList<Base> elements)
    {
        var labels = new HashSet<Coding>(elements.OfType<Meta>().SelectMany(m => m.Security.Concat(m.Tag)), ReferenceEqualityComparer.Instance);
        var codes = elements.OfType<Coding>().Where(c => !labels.Contains(c))
            .Select(ToToken).Distinct().ToList();
        var unknown = carried.Any(r => ElementsOf(r.TypeName).Code.SelectMany(e => r.Select(e)).Any(v => v is ResourceReference));
        return (codes, unknown);
    }

    private static IReadOnlyList<Token> Codings(Resource resource, string path) =>
        [.. resource.Select(path).OfType<Coding>().Select(ToToken)];

    private static Token ToToken(Coding coding) => new(coding.System, coding.Code ?? "");
}
