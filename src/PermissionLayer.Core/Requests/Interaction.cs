namespace PermissionLayer.Core.Requests;

/// <summary>A FHIR RESTful interaction, at the granularity the SMART letters distinguish.</summary>
public enum Interaction
{
    Read,
    VRead,
    HistoryInstance,
    HistoryType,
    HistorySystem,
    SearchType,
    SearchSystem,
    Create,
    Update,
    Patch,
    Delete,
    Operation,
}
