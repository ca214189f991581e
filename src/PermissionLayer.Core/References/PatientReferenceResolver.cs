namespace PermissionLayer.Core.References;

/// <summary>
/// Resolves a FHIR reference found in a compartment element to one of this server's Patients. Relative
/// (<c>Patient/x</c>), versioned (<c>Patient/x/_history/2</c>) and absolute references under one of the
/// server's own base URLs resolve; a reference that might name a patient but cannot be tied to one of
/// ours (another server's URL, a <c>urn:uuid:</c>, an identifier or display only, a conditional
/// reference) is <see cref="ReferenceResolution.Unresolved"/>, never "not a patient".
/// </summary>
/// <param name="baseUrls">The server's own base URLs.</param>
/// <param name="resourceTypes">
/// The known resource types: only a reference to one of them (other than Patient) is certainly not a
/// patient; <c>patient/x</c>, <c>PATIENT/x</c> or <c> Patient/x</c> are unresolved, not "someone else".
/// </param>
public sealed class PatientReferenceResolver(IReadOnlyList<string> baseUrls, Scopes.IResourceTypeCatalog resourceTypes)
{
    private readonly string[] _bases = [.. baseUrls.Select(b => b.TrimEnd('/') + "/")];

    /// <param name="reference">Reference.reference (null when absent).</param>
    /// <param name="type">Reference.type (null when absent).</param>
    /// <param name="containedType">For a <c>#id</c> reference: the type of the contained resource, if found.</param>
    public ReferenceResolution Resolve(string? reference, string? type, string? containedType = null)
    {
        var mayBePatient = type is null or "Patient" || !resourceTypes.IsKnown(type);
        if (string.IsNullOrEmpty(reference))
        {
            // Identifier- or display-only: nothing ties it to one of our resources.
            return mayBePatient ? ReferenceResolution.Unresolved : ReferenceResolution.NotPatient;
        }
        if (reference.StartsWith('#'))
        {
            // A contained Patient has no identity on this server; other contained resources are not patients.
            return containedType is null or "Patient" || !resourceTypes.IsKnown(containedType) ? ReferenceResolution.Unresolved : ReferenceResolution.NotPatient;
        }
        if (reference.IndexOf('?') is var query and >= 0)
        {
            // A conditional reference (Patient?identifier=…): the FHIR server resolves it by a search,
            // to whichever resource matches. Only its type (before the '?', a URL's included) can be
            // read; what follows is search criteria, whatever they look like (a URL among them).
            // Another server's conditional URL is not read at all; a Reference.type that disagrees
            // with the target leaves it unknown which one the FHIR server goes by.
            var target = reference[..query];
            var certainlyOther = !target.Contains('/') && target != "Patient" && resourceTypes.IsKnown(target) && (type is null || type == target);
            return certainlyOther ? ReferenceResolution.NotPatient : ReferenceResolution.Unresolved;
        }
        var relative = reference;
        if (reference.Contains("://", StringComparison.Ordinal) || reference.StartsWith("urn:", StringComparison.Ordinal))
        {
            var own = _bases.FirstOrDefault(b => reference.StartsWith(b, StringComparison.Ordinal));
            if (own is null)
            {
                return ForeignTypeOf(reference) is { } foreign && foreign != "Patient" && resourceTypes.IsKnown(foreign)
                    ? ReferenceResolution.NotPatient
                    : ReferenceResolution.Unresolved;
            }
            relative = reference[own.Length..];
        }
        var parts = relative.Split('/');
        var shaped = parts.Length == 2 || (parts.Length == 4 && parts[2] == "_history" && parts[3].Length > 0);
        if (!shaped)
        {
            return mayBePatient ? ReferenceResolution.Unresolved : ReferenceResolution.NotPatient;
        }
        if (parts[0] != "Patient")
        {
            return resourceTypes.IsKnown(parts[0]) ? ReferenceResolution.NotPatient : ReferenceResolution.Unresolved;
        }
        return FhirReference.IsId(parts[1]) ? ReferenceResolution.Patient(parts[1]) : ReferenceResolution.Unresolved;
    }

    /// <summary>
    /// Whether a reference says it is to a Patient (its type, a contained Patient, or a
    /// <c>…Patient/id</c> shape): outside compartment elements, only such a reference that does not
    /// resolve makes whose data it is unknown (an identifier-only <c>owner</c> of unknown type does not).
    /// </summary>
    public static bool NamesPatient(string? reference, string? type, string? containedType) =>
        type == "Patient" || containedType == "Patient"
        || (reference is not null && !reference.StartsWith('#') && TargetOf(reference) is var target
            && (target.StartsWith("Patient/", StringComparison.Ordinal) || target == "Patient" || target.EndsWith("/Patient", StringComparison.Ordinal)
                || target.Contains("/Patient/", StringComparison.Ordinal) || ForeignTypeOf(target) == "Patient"));

    /// <summary>A reference without a conditional reference's search criteria (what follows its <c>?</c>).</summary>
    private static string TargetOf(string reference) => reference.IndexOf('?') is var query and >= 0 ? reference[..query] : reference;

    /// <summary>The resource type of another server's <c>…/Type/id[/_history/v]</c> URL, or null when it has no such shape.</summary>
    private static string? ForeignTypeOf(string url)
    {
        var segments = url.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var end = segments.Length >= 4 && segments[^2] == "_history" ? segments.Length - 2 : segments.Length;
        return end >= 2 && segments[end - 2] is { Length: > 0 } t && char.IsAsciiLetterUpper(t[0]) ? t : null;
    }
}

/// <summary>What a compartment reference is: one of our patients, certainly not a patient, or unknown.</summary>
public readonly record struct ReferenceResolution(string? PatientId, bool IsUnresolved)
{
    public static readonly ReferenceResolution NotPatient = new(null, false);
    public static readonly ReferenceResolution Unresolved = new(null, true);

    public static ReferenceResolution Patient(string id) => new(id, false);
}
