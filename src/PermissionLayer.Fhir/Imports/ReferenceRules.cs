using Hl7.Fhir.Model;
using PermissionLayer.Core.References;

namespace PermissionLayer.Fhir.Imports;

/// <summary>
/// Reads references that name entitlement subjects. Only relative <c>Type/id</c> references are
/// accepted: an absolute URL may point at another server, and a logical (identifier-only) or contained
/// reference names nobody this service knows, so guessing would grant access to the wrong person.
/// </summary>
internal static class ReferenceRules
{
    public static readonly IReadOnlySet<string> Patient = new HashSet<string>(StringComparer.Ordinal) { "Patient" };
    public static readonly IReadOnlySet<string> Practitioner = new HashSet<string>(StringComparer.Ordinal) { "Practitioner" };
    public static readonly IReadOnlySet<string> Organization = new HashSet<string>(StringComparer.Ordinal) { "Organization" };

    /// <summary>Reads <paramref name="reference"/> (found at <paramref name="path"/>), which must name one of <paramref name="types"/>.</summary>
    public static FhirReference Require(ResourceReference? reference, string path, IReadOnlySet<string> types, ResourceScope scope)
    {
        var expected = Describe(types);
        var value = reference?.Reference;
        if (string.IsNullOrEmpty(value))
        {
            throw scope.Fail(reference is null ? path : $"{path}.reference", $"is missing; expected a reference to a {expected}");
        }
        if (!FhirReference.TryParse(value, out var parsed))
        {
            throw scope.Fail($"{path}.reference", $"'{value}' must be a relative reference Type/id to a {expected}");
        }
        if (!types.Contains(parsed.Value.Type))
        {
            throw scope.Fail($"{path}.reference", $"'{value}' must reference a {expected}");
        }
        if (reference!.Type is { } declared && declared != parsed.Value.Type && declared != CanonicalPrefix + parsed.Value.Type)
        {
            throw scope.Fail($"{path}.type", $"'{declared}' contradicts the reference '{value}'");
        }
        return parsed.Value;
    }

    private const string CanonicalPrefix = "http://hl7.org/fhir/StructureDefinition/";

    private static string Describe(IReadOnlySet<string> types) =>
        types.Count == 1 ? types.First() : string.Join(", ", types.Order(StringComparer.Ordinal).SkipLast(1)) + " or " + types.Max(StringComparer.Ordinal);
}
