namespace PermissionLayer.Core.Imports;

/// <summary>
/// FHIR R4 <c>List.mode</c>. A <see cref="Working"/> or <see cref="Snapshot"/> list is the whole panel;
/// a <see cref="Changes"/> list only adds patients (its deleted entries are not imported), so an
/// importer must not treat it as a replacement.
/// </summary>
public enum PanelMode
{
    Working,
    Snapshot,
    Changes,
}
