namespace PermissionLayer.Core.Imports;

/// <summary>FHIR R4 <c>List.status</c>: a retired or entered-in-error list no longer describes a panel.</summary>
public enum PanelStatus
{
    Current,
    Retired,
    EnteredInError,
}
