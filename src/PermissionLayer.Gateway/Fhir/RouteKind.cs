namespace PermissionLayer.Gateway.Fhir;

/// <summary>The FHIR RESTful interactions the gateway tells apart (http://hl7.org/fhir/R4/http.html).</summary>
public enum RouteKind
{
    Unknown,
    Metadata,
    SmartConfiguration,
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
    ConditionalWrite,
    Bundle,
    Operation,
}
