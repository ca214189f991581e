using PermissionLayer.Core.References;

namespace PermissionLayer.Core.Imports;

/// <summary>
/// The membership of an actual (enumerated) FHIR Group. Each patient appears at most once: a group
/// membership is keyed by patient, so the reader rejects duplicates rather than guess which one wins.
/// </summary>
/// <remarks>
/// <para><c>Active</c>: FHIR's <c>Group.active</c>; absent means true.</para>
/// </remarks>
public sealed record ImportedGroup(
    string GroupId,
    string? VersionId,
    DateTimeOffset? LastUpdated,
    bool Active,
    IReadOnlyList<ImportedMember> Members) : ImportedFact(VersionId, LastUpdated)
{
    public override FhirReference Resource => new("Group", GroupId);
}
