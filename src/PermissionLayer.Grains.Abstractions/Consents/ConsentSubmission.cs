namespace PermissionLayer.Grains.Abstractions.Consents;

/// <summary>A FHIR Consent to store as received and apply, and who submits it why.</summary>
[GenerateSerializer, Immutable]
public sealed record ConsentSubmission(
    [property: Id(0)] string ConsentId,
    [property: Id(1)] string Json,
    [property: Id(2)] string Actor,
    [property: Id(3)] string Reason);
