using PermissionLayer.Contracts.V1;
using PermissionLayer.Gateway.Fhir;

namespace PermissionLayer.Gateway.Enforcement;

/// <summary>One FHIR request at the gateway: its validated token, its route, its base URL, its decision ids.</summary>
public sealed record GatewayRequest(HttpContext Http, FhirRoute Route, TokenContext Token, string PublicBase, DecisionLog Decisions)
{
    public CancellationToken Aborted => Http.RequestAborted;

    /// <summary>The query string without its <c>?</c>, exactly as sent.</summary>
    public string Query => Http.Request.QueryString.HasValue ? Http.Request.QueryString.Value![1..] : "";
}
