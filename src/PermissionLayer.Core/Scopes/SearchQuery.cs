namespace PermissionLayer.Core.Scopes;

/// <summary>
/// A FHIR search query string, parsed only as far as the scope term needs: the parameters, the
/// <c>_type</c> list and the patients it explicitly targets.
/// </summary>
public sealed record SearchQuery(IReadOnlyList<KeyValuePair<string, string>> Parameters)
{
    public static readonly SearchQuery Empty = new([]);

    private static readonly HashSet<string> PatientTargets = new(StringComparer.Ordinal) { "patient", "subject", "patient:Patient", "subject:Patient" };

    public static SearchQuery Parse(string? query)
    {
        if (string.IsNullOrEmpty(query))
        {
            return Empty;
        }
        var parameters = new List<KeyValuePair<string, string>>();
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            parameters.Add(new(name, value));
        }
        return new SearchQuery(parameters);
    }

    /// <summary>The resource types of <c>_type</c>, or null when the query does not restrict them.</summary>
    public IReadOnlyList<string>? Types =>
        Parameters.Where(p => p.Key == "_type").SelectMany(p => p.Value.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList() is { Count: > 0 } types
            ? types
            : null;

    /// <summary>
    /// The patients the query confines itself to: <c>_id</c> on Patient; <c>patient</c> and <c>subject</c>
    /// only on types that have them as patient links (<see cref="Names"/>) — on any other type (Patient
    /// itself, Group, Medication) a lenient FHIR server ignores them, so they confine nothing and name
    /// nobody. A value that is a relative reference to another type (<c>subject=Group/g</c>) names no
    /// patient; any other spelling (versioned, absolute, <c>patient/x</c>) is kept as it is, so that the
    /// request contract rejects it rather than the search being decided as one that names nobody.
    /// </summary>
    public IReadOnlyList<string> TargetedPatients(string resourceType) =>
        Values(p => (PatientTargets.Contains(p.Key) && Names(resourceType, p.Key.Split(':')[0])) || (resourceType == "Patient" && p.Key == "_id"));

    /// <summary>
    /// The patients the query names beyond doubt: a bare <c>subject=x</c> is, to a FHIR server, an id of
    /// whatever a subject may be (a Group, a Device, a Location), so only <c>patient=</c>,
    /// <c>subject:Patient=</c> and <c>subject=Patient/x</c> count. For criteria no obligation confines
    /// (a conditional write's).
    /// </summary>
    public IReadOnlyList<string> SurelyTargetedPatients(string resourceType) =>
        Values(p => ((PatientTargets.Contains(p.Key) && Names(resourceType, p.Key.Split(':')[0]))
                && (p.Key != "subject" || p.Value.Split(',').All(v => v.StartsWith("Patient/", StringComparison.Ordinal))))
            || (resourceType == "Patient" && p.Key == "_id"));

    /// <summary>
    /// Every value a patient parameter holds (<c>patient=</c>, <c>subject=</c> on any type, <c>_id=</c> on
    /// Patient), whether or not the type has it: each must spell a patient id (the request contract), since
    /// a FHIR server that does read the parameter would read it as one.
    /// </summary>
    public IReadOnlyList<string> PatientValues(string resourceType) =>
        Values(p => PatientTargets.Contains(p.Key) || (resourceType == "Patient" && p.Key == "_id"));

    private List<string> Values(Func<KeyValuePair<string, string>, bool> parameter) =>
        Parameters
            .Where(parameter)
            .SelectMany(p => p.Value.Split(',', StringSplitOptions.RemoveEmptyEntries))
            .Select(v => v.StartsWith("Patient/", StringComparison.Ordinal) ? v["Patient/".Length..] : v)
            .Where(v => !IsOtherTypesReference(v))
            .ToList();

    /// <summary>Compartment types linked through another parameter that R4 still gives a <c>patient</c> parameter.</summary>
    private static readonly HashSet<string> PatientParameterTypes = new(StringComparer.Ordinal)
    {
        "Appointment", "AppointmentResponse", "Coverage", "ResearchSubject",
    };

    /// <summary>
    /// Whether the type has the parameter as a patient link. Leaving out one it has only makes the search
    /// untargeted (confined by its obligation) and a conditional write denied, never wider.
    /// </summary>
    private static bool Names(string resourceType, string parameter)
    {
        if (resourceType == ResourceScope.AnyType)
        {
            return true; // a system-level search (Patient/x/$everything's meaning): patient= spans every type that has it
        }
        var links = Compartments.PatientCompartment.R4.ParametersOf(resourceType);
        return parameter == "subject"
            ? links.Contains("subject")
            : PatientParameterTypes.Contains(resourceType) || links.Any(l => l is "patient" or "subject");
    }

    /// <summary><c>Type/id</c> with a capitalised type other than Patient (a Group, Device or Location subject).</summary>
    private static bool IsOtherTypesReference(string value)
    {
        var slash = value.IndexOf('/');
        return slash > 0 && value.IndexOf('/', slash + 1) < 0 && char.IsAsciiLetterUpper(value[0])
            && value[..slash].All(char.IsAsciiLetter) && value[..slash] != "Patient" && References.FhirReference.IsId(value[(slash + 1)..]);
    }
}
