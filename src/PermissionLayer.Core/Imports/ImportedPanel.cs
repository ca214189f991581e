using PermissionLayer.Core.References;

namespace PermissionLayer.Core.Imports;

/// <summary>
/// A practitioner's patient list, read from a FHIR List whose <c>source</c> is the practitioner who owns
/// it. Deleted entries are kept apart (<see cref="DeletedPatientIds"/>); each patient appears at most once.
/// </summary>
/// <remarks>
/// <para><c>OwnerPrincipal</c>: The owner as a principal, <c>Practitioner/x</c>.</para>
/// </remarks>
public sealed record ImportedPanel(
    string ListId,
    string? VersionId,
    DateTimeOffset? LastUpdated,
    string OwnerPrincipal,
    PanelStatus Status,
    PanelMode Mode,
    IReadOnlyList<string> PatientIds) : ImportedFact(VersionId, LastUpdated)
{
    public override FhirReference Resource => new("List", ListId);

    /// <summary>Patients whose entry is marked deleted: in a <c>changes</c> List, taken off the panel.</summary>
    public IReadOnlyList<string> DeletedPatientIds { get; init; } = [];
}
