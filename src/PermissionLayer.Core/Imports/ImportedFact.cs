using PermissionLayer.Core.References;

namespace PermissionLayer.Core.Imports;

/// <summary>
/// One entitlement fact read from a FHIR resource. <see cref="VersionId"/> and <see cref="LastUpdated"/>
/// come from <c>meta</c>, so an importer can tell whether it already holds this or a newer version and
/// apply imports idempotently.
/// </summary>
/// <remarks>
/// <para><c>VersionId</c>: <c>meta.versionId</c>, if the sender gave one.</para>
/// <para><c>LastUpdated</c>: <c>meta.lastUpdated</c>, if the sender gave one.</para>
/// </remarks>
public abstract record ImportedFact(string? VersionId, DateTimeOffset? LastUpdated)
{
    /// <summary>The resource the fact was read from, e.g. <c>Group/g1</c>.</summary>
    public abstract FhirReference Resource { get; }
}
