namespace PermissionLayer.Core.Requests;

/// <summary>
/// What the decision needs to know about one state of a resource: whose compartment it is in, and
/// the attributes that scopes, consent and labels can constrain. Extracted by the FHIR server or by
/// the FHIR mapping layer from raw JSON.
/// </summary>
public sealed record ResourceFacts
{
    public static readonly ResourceFacts Empty = new();

    /// <summary>Ids (without <c>Patient/</c>) of the patients whose compartment the resource is in.</summary>
    public IReadOnlyList<string> Patients { get; init; } = [];
    public IReadOnlyList<Token> Category { get; init; } = [];
    public IReadOnlyList<Token> Code { get; init; } = [];
    public IReadOnlyList<Token> Tag { get; init; } = [];
    public IReadOnlyList<Token> Security { get; init; } = [];
    public string? Status { get; init; }

    /// <summary>When the data was recorded (consent <c>dataPeriod</c>), when known.</summary>
    public DateTimeOffset? RecordedAt { get; init; }

    /// <summary>The resource's own reference (<c>Type/id</c>), when known (consent <c>data</c>).</summary>
    public string? Reference { get; init; }

    /// <summary>
    /// The lists are everything the resource carries: an empty list means it has none. Set by whoever
    /// extracted the facts when it read every code and label the resource has (the service's own FHIR
    /// JSON extraction; a PEP that declares it). Otherwise consent reads a code or label missing from
    /// the lists as unknown, never as absent (a deny that depends on it counts, a permit does not).
    /// </summary>
    public bool Complete { get; init; }

    /// <summary>
    /// The facts are the union over every version of the resource (required for an instance history,
    /// which returns them all). Never set for facts extracted from FHIR JSON, which is one version.
    /// </summary>
    public bool AllVersions { get; init; }

    /// <summary>
    /// The types of the resources this one carries (contained, Bundle entries, Parameters' resources):
    /// a consent withholding a type withholds it inside another one too.
    /// </summary>
    public IReadOnlyList<string> CarriedTypes { get; init; } = [];

    /// <summary>
    /// The resource's code is held elsewhere (a MedicationRequest's medicationReference), so even
    /// complete facts do not know it: consent provisions by code count as possibly matching.
    /// </summary>
    public bool CodeUnknown { get; init; }

    /// <summary>
    /// References in the resource's compartment elements that might name a patient but cannot be
    /// resolved to one of this server's Patients (an absolute URL of another server, an identifier
    /// only, a contained resource), by element path. Any of them makes the compartment unknown:
    /// the decision denies rather than guess whose data it is.
    /// </summary>
    public IReadOnlyList<string> UnresolvedPatientReferences { get; init; } = [];
}
