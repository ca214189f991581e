using System.Collections;
using Hl7.Fhir.Model;
using PermissionLayer.Fhir.Imports;

namespace PermissionLayer.Fhir.Consents;

/// <summary>
/// The Consent elements the compiler understands or may safely leave aside. Everything else found on
/// a Consent (e.g. <c>contained</c>) is rejected by name: an element the engine would skip could carry
/// a restriction the patient expects to be honoured.
/// </summary>
internal static class ConsentElements
{
    // Informational elements (who recorded it, the signed source, the policy text, verification) do not
    // change who may see what: the provisions do. They are kept in the stored JSON for audit.
    private static readonly HashSet<string> Consent = new(StringComparer.Ordinal)
    {
        "id", "meta", "language", "text", "extension", "identifier", "status", "scope", "category", "patient",
        "dateTime", "performer", "organization", "source", "policy", "policyRule", "verification", "provision",
    };

    public static void RejectUnsupported(Consent consent, ResourceScope scope)
    {
        foreach (var (name, value) in consent.EnumerateElements())
        {
            if (!Consent.Contains(name) && !(value is IList { Count: 0 }))
            {
                throw scope.Fail($"Consent.{name}", "is not supported by the consent engine; remove it or express it as provisions");
            }
        }
    }
}
