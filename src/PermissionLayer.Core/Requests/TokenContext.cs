namespace PermissionLayer.Core.Requests;

/// <summary>What the FHIR server learnt from the access token it validated.</summary>
public sealed record TokenContext
{
    public required string ClientId { get; init; }
    /// <summary><c>Practitioner/x</c>, <c>Patient/x</c>, ...; null for system tokens.</summary>
    public string? FhirUser { get; init; }
    public required string Scope { get; init; }
    public string? LaunchPatient { get; init; }
    public IReadOnlyList<string> FhirContext { get; init; } = [];
    public string? PurposeOfUse { get; init; }
    /// <summary>
    /// <c>Organization/o</c> and <c>Group/g</c> references the user belongs to, as the FHIR server knows
    /// them: consent provisions naming them as actor apply to the user.
    /// </summary>
    public IReadOnlyList<string> UserAffiliations { get; init; } = [];
    public string? BreakGlassReason { get; init; }
    public string? Jti { get; init; }
}
