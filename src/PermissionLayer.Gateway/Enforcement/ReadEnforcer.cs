using System.Text.Json.Nodes;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Core.References;
using PermissionLayer.Gateway.Configuration;
using PermissionLayer.Gateway.Fhir;
using PermissionLayer.Gateway.Upstream;

namespace PermissionLayer.Gateway.Enforcement;

/// <summary>
/// read, vread and history-instance: the resource is fetched first, because its own content (whose
/// data it is, its codes and labels) is the question; it is returned only on a PERMIT for exactly it.
/// </summary>
public sealed class ReadEnforcer(UpstreamClient upstream, DecisionGate decisions, GatewaySettings settings, PatientReferenceResolver resolver)
{
    public async Task<GatewayResponse> HandleAsync(GatewayRequest request)
    {
        var route = request.Route;
        var path = route.Kind switch
        {
            RouteKind.VRead => $"{route.ResourceType}/{route.Id}/_history/{route.VersionId}",
            RouteKind.HistoryInstance => $"{route.ResourceType}/{route.Id}/_history",
            _ => $"{route.ResourceType}/{route.Id}",
        };
        if (request.Query.Length > 0 && route.Kind != RouteKind.HistoryInstance)
        {
            // _elements, _summary and the like would change what is returned after it was checked.
            throw GatewayRefusal.BadRequest("parameters on a read are not supported through the gateway");
        }
        var response = await upstream.GetAsync(path, request.Aborted);
        if (response.Status is 404 or 410)
        {
            return NotFound(route);
        }
        if (!response.IsSuccess)
        {
            throw new GatewayRefusal(response.Status, "processing", $"the FHIR server answered {response.Status}");
        }
        var body = FhirJson.ParseObject(response.Body, "the FHIR server's answer");
        var check = new CheckRequest
        {
            Token = request.Token,
            ResourceType = route.ResourceType,
            ResourceId = route.Id,
        };
        if (route.Kind == RouteKind.HistoryInstance)
        {
            check.Interaction = Interaction.HistoryInstance;
            check.Stored = new ResourceState { Facts = HistoryFacts.Union(route.ResourceType, route.Id, Versions(body), resolver) };
            // Links point into the upstream: a client following them would bypass the gateway.
            body.Remove("link");
        }
        else
        {
            if (FhirJson.Text(body, "resourceType") != route.ResourceType || FhirJson.Text(body, "id") != route.Id)
            {
                throw GatewayRefusal.BadGateway($"the FHIR server answered another resource than {route.ResourceType}/{route.Id}");
            }
            check.Interaction = route.Kind == RouteKind.VRead ? Interaction.Vread : Interaction.Read;
            check.Stored = new ResourceState { FhirJson = response.Body };
        }
        var decision = await decisions.CheckAsync(check, request.Decisions, request.Aborted);
        if (decision.Outcome != Outcome.Permit)
        {
            if (settings.DeniedReadsAsNotFound)
            {
                return NotFound(route);
            }
            throw DecisionGate.Denied(decision);
        }
        var text = route.Kind == RouteKind.HistoryInstance ? body.ToJsonString() : response.Body;
        return new GatewayResponse(200, text)
            .WithHeader("ETag", response.ETag)
            .WithHeader("Last-Modified", response.LastModified);
    }

    private static IEnumerable<JsonObject> Versions(JsonObject bundle)
    {
        if (FhirJson.Text(bundle, "resourceType") != "Bundle" || bundle["entry"] is not (JsonArray or null))
        {
            throw GatewayRefusal.BadGateway("the FHIR server's history is not a Bundle");
        }
        foreach (var entry in bundle["entry"]?.AsArray() ?? [])
        {
            // A deleted version carries no resource, and so no data.
            if (entry?["resource"] is JsonObject resource)
            {
                yield return resource;
            }
        }
    }

    private static GatewayResponse NotFound(FhirRoute route) =>
        new(404, OperationOutcomes.Of("not-found", $"{route.ResourceType}/{route.Id} is not known").ToJsonString());
}
