using PermissionLayer.Core.References;

namespace PermissionLayer.Core.Imports;

/// <summary>
/// A FHIR Consent, passed through as received: Consents are kept verbatim and compiled into provision
/// trees elsewhere, so the reader checks only that it is a well-formed Consent with an id.
/// </summary>
/// <remarks>
/// <para><c>Json</c>: The Consent resource's JSON text.</para>
/// </remarks>
public sealed record ImportedConsentJson(
    string Json,
    string ConsentId,
    string? VersionId,
    DateTimeOffset? LastUpdated) : ImportedFact(VersionId, LastUpdated)
{
    public override FhirReference Resource => new("Consent", ConsentId);
}
