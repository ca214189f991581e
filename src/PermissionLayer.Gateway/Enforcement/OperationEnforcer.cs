using System.Text.Json.Nodes;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Gateway.Fhir;
using PermissionLayer.Gateway.Search;
using PermissionLayer.Gateway.Upstream;

namespace PermissionLayer.Gateway.Enforcement;

/// <summary>
/// Operations, checked as what they do (the request contract): <c>Patient/[id]/$everything</c> is
/// decided as an operation and then every resource it returns is checked as a read, like search
/// results. <c>$export</c> is decided, but its files cannot be checked entry by entry here: it is
/// refused after the decision. Any other operation is what the service says (operation.unsupported).
/// </summary>
public sealed class OperationEnforcer(UpstreamClient upstream, DecisionGate decisions, ResultFilter filter)
{
    public async Task<GatewayResponse> HandleAsync(GatewayRequest request)
    {
        var route = request.Route;
        var method = request.Http.Request.Method;
        var check = new CheckRequest
        {
            Token = request.Token,
            Interaction = Interaction.Operation,
            Operation = route.Operation,
            ResourceType = route.ResourceType.Length > 0 ? route.ResourceType : "*",
            ResourceId = route.Id,
            Query = request.Query,
        };
        await decisions.RequirePermitAsync(check, request.Decisions, request.Aborted);
        if (route.Operation == "$everything" && method == "GET" && route.ResourceType == "Patient" && route.Id.Length > 0)
        {
            // Its results are checked resource by resource, as a search's are: the same parameters are refused.
            ResultShaping.Require(QueryParameters.Parse(request.Query));
            var path = $"Patient/{route.Id}/$everything" + (request.Query.Length > 0 ? "?" + request.Query : "");
            var response = await upstream.GetAsync(path, request.Aborted);
            if (!response.IsSuccess)
            {
                throw new GatewayRefusal(response.Status, "processing", $"the FHIR server answered {response.Status} to $everything");
            }
            var bundle = FhirJson.ParseObject(response.Body, "the FHIR server's $everything result");
            var entries = (bundle["entry"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            var permitted = await filter.PermittedAsync(entries, request);
            var kept = new JsonArray([.. entries.Where((_, i) => permitted[i]).Select(e => new JsonObject
            {
                ["fullUrl"] = request.PublicBase + $"{FhirJson.Text(e["resource"], "resourceType")}/{FhirJson.Text(e["resource"], "id")}",
                ["resource"] = e["resource"]!.DeepClone(),
            })]);
            // Paging links would lead into the upstream; the result is this one page.
            var result = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "searchset", ["entry"] = kept };
            return new GatewayResponse(200, result.ToJsonString());
        }
        throw GatewayRefusal.NotSupported($"{route.Operation} was permitted but is not proxied: its results could not be checked resource by resource");
    }
}
