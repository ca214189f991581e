namespace PermissionLayer.Core.Consents;

/// <summary>
/// A patient's FHIR Consent compiled for evaluation. <see cref="PolicyRule"/> is null when the
/// Consent states none, and the deployment default applies. Only <c>active</c> consents whose root
/// provision period may cover the decision time are evaluated; one whose period only may cover it
/// (a date-only bound near the decision time) counts only if it denies.
/// </summary>
public sealed record CompiledConsent
{
    public required string ConsentId { get; init; }
    public required string PatientId { get; init; }
    public required string Status { get; init; }
    public ConsentPolicyRule? PolicyRule { get; init; }
    public required ConsentProvision Root { get; init; }

    public string Reference => $"Consent/{ConsentId}";

    public bool SurelyAppliesAt(DateTimeOffset instant) => Status == "active" && (Root.Period is null || Root.Period.SurelyCovers(instant));

    public bool MayApplyAt(DateTimeOffset instant) => Status == "active" && (Root.Period is null || Root.Period.MayCover(instant));
}
