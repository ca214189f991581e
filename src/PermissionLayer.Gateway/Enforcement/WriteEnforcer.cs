using System.Text.Json.Nodes;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Gateway.Fhir;
using PermissionLayer.Gateway.Upstream;

namespace PermissionLayer.Gateway.Enforcement;

/// <summary>
/// create, update, patch and delete. Create is decided on the proposed state; update and delete
/// fetch the stored state and are decided on both; patch computes the proposed state locally (JSON
/// Patch) and writes exactly that state, guarded by the stored version, so that what upstream stores
/// is what was decided.
/// </summary>
public sealed class WriteEnforcer(UpstreamClient upstream, DecisionGate decisions, WriteAnswers answers)
{
    public const string JsonPatchType = "application/json-patch+json";

    public async Task<GatewayResponse> HandleAsync(GatewayRequest request, string body)
    {
        var route = request.Route;
        var http = request.Http.Request;
        switch (route.Kind)
        {
            case RouteKind.Create:
            {
                var proposed = Resource(body, route.ResourceType, id: null);
                var check = Check(request, Interaction.Create);
                check.Proposed = new ResourceState { FhirJson = proposed.ToJsonString() };
                var ifNoneExist = http.Headers["If-None-Exist"].ToString();
                if (ifNoneExist.Length > 0)
                {
                    check.Conditional = true;
                    check.Query = ifNoneExist;
                }
                await decisions.RequirePermitAsync(check, request.Decisions, request.Aborted);
                var headers = ifNoneExist.Length > 0 ? new Dictionary<string, string> { ["If-None-Exist"] = ifNoneExist } : null;
                var answer = await upstream.SendAsync(HttpMethod.Post, route.ResourceType, proposed.ToJsonString(), null, headers, request.Aborted);
                if (ifNoneExist.Length > 0 && answer.Status == StatusCodes.Status200OK)
                {
                    await RequireReadableMatchAsync(request, answer);
                }
                return await ForwardedAsync(request, answer);
            }
            case RouteKind.Update:
            {
                var proposed = Resource(body, route.ResourceType, route.Id);
                var stored = await StoredAsync(request);
                var check = Check(request, Interaction.Update);
                check.Stored = stored is null ? new ResourceState { Absent = true } : new ResourceState { FhirJson = stored.ToJsonString() };
                check.Proposed = new ResourceState { FhirJson = proposed.ToJsonString() };
                await decisions.RequirePermitAsync(check, request.Decisions, request.Aborted);
                return await ForwardedAsync(request, await upstream.SendAsync(
                    HttpMethod.Put, Path(route), proposed.ToJsonString(), null, VersionGuard(http, stored), request.Aborted));
            }
            case RouteKind.Patch:
            {
                if (!(http.ContentType ?? "").StartsWith(JsonPatchType, StringComparison.OrdinalIgnoreCase))
                {
                    // FHIRPath Patch (a Parameters resource) is not computed here yet: refused, not forwarded unchecked.
                    throw new GatewayRefusal(StatusCodes.Status415UnsupportedMediaType, "not-supported",
                        $"only JSON Patch ({JsonPatchType}) is supported through the gateway");
                }
                var stored = await StoredAsync(request) ?? throw NotFound(route);
                var proposed = JsonPatch.Apply(stored, body);
                if (FhirJson.Text(proposed, "resourceType") != route.ResourceType || FhirJson.Text(proposed, "id") != route.Id)
                {
                    throw GatewayRefusal.BadRequest("a patch may not change the resource's type or id");
                }
                var check = Check(request, Interaction.Patch);
                check.Stored = new ResourceState { FhirJson = stored.ToJsonString() };
                check.Proposed = new ResourceState { FhirJson = proposed.ToJsonString() };
                await decisions.RequirePermitAsync(check, request.Decisions, request.Aborted);
                return await ForwardedAsync(request, await upstream.SendAsync(
                    HttpMethod.Put, Path(route), proposed.ToJsonString(), null, VersionGuard(http, stored), request.Aborted));
            }
            case RouteKind.Delete:
            {
                var stored = await StoredAsync(request) ?? throw NotFound(route);
                var check = Check(request, Interaction.Delete);
                check.Stored = new ResourceState { FhirJson = stored.ToJsonString() };
                await decisions.RequirePermitAsync(check, request.Decisions, request.Aborted);
                return await ForwardedAsync(request, await upstream.SendAsync(HttpMethod.Delete, Path(route), null, null, VersionGuard(http, stored), request.Aborted));
            }
            default:
                throw GatewayRefusal.NotSupported("conditional update, patch and delete are not supported through the gateway yet");
        }
    }

    private static CheckRequest Check(GatewayRequest request, Interaction interaction) => new()
    {
        Token = request.Token,
        Interaction = interaction,
        ResourceType = request.Route.ResourceType,
        ResourceId = request.Route.Id,
    };

    private static string Path(FhirRoute route) => $"{route.ResourceType}/{route.Id}";

    /// <summary>The stored state, or null when upstream has none (404/410).</summary>
    private async Task<JsonObject?> StoredAsync(GatewayRequest request)
    {
        var route = request.Route;
        var response = await upstream.GetAsync(Path(route), request.Aborted);
        if (response.Status is 404 or 410)
        {
            return null;
        }
        if (!response.IsSuccess)
        {
            throw new GatewayRefusal(response.Status, "processing", $"the FHIR server answered {response.Status} for the stored state");
        }
        var stored = FhirJson.ParseObject(response.Body, "the FHIR server's stored state");
        if (FhirJson.Text(stored, "resourceType") != route.ResourceType || FhirJson.Text(stored, "id") != route.Id)
        {
            throw GatewayRefusal.BadGateway($"the FHIR server answered another resource than {Path(route)}");
        }
        return stored;
    }

    /// <summary>
    /// The write applies only to the version that was decided on: the client's own If-Match, else
    /// the stored version's. A concurrent change in between then fails upstream (412) instead of
    /// being overwritten by a state that was decided against another stored state.
    /// </summary>
    private static Dictionary<string, string>? VersionGuard(HttpRequest http, JsonObject? stored)
    {
        var ifMatch = http.Headers.IfMatch.ToString();
        if (ifMatch.Length == 0 && FhirJson.Text(stored?["meta"], "versionId") is { } version)
        {
            ifMatch = $"W/\"{version}\"";
        }
        return ifMatch.Length > 0 ? new Dictionary<string, string> { ["If-Match"] = ifMatch } : null;
    }

    /// <summary>The proposed resource: FHIR JSON of the route's type (and id, for an update).</summary>
    public static JsonObject Resource(string body, string type, string? id)
    {
        var resource = FhirJson.ParseObject(body, "the request body", StatusCodes.Status400BadRequest);
        if (FhirJson.Text(resource, "resourceType") != type)
        {
            throw GatewayRefusal.BadRequest($"the body must be a {type}");
        }
        if (id is not null && FhirJson.Text(resource, "id") != id)
        {
            throw GatewayRefusal.BadRequest($"the body's id must be {id}");
        }
        return resource;
    }

    /// <summary>
    /// Upstream's answer to a permitted write, with only what a read would give back (<see cref="WriteAnswers"/>);
    /// Location is rewritten to the gateway.
    /// </summary>
    private async Task<GatewayResponse> ForwardedAsync(GatewayRequest request, UpstreamResponse response)
    {
        var location = response.Location is { } l && upstream.RelativeOf(l) is { } relative ? request.PublicBase + relative
            : response.Location is { } rel && !rel.Contains("://", StringComparison.Ordinal) ? request.PublicBase + rel.TrimStart('/') : null;
        var body = await answers.BodyAsync(response.Body, request);
        return new GatewayResponse(response.Status, body).WithHeader("Location", location).WithHeader("ETag", response.ETag);
    }

    /// <summary>
    /// A conditional create whose criteria matched answers 200 with the existing resource, or only its
    /// Location: that a match exists, and its id, are the match's data. The match is held to a read by
    /// the same token (the service's obligation says the same); when it is not given, the answer is a
    /// 403 that carries nothing of it.
    /// </summary>
    private async Task RequireReadableMatchAsync(GatewayRequest request, UpstreamResponse answer)
    {
        var body = answer.Body;
        if (WriteAnswers.Parsed(body) is not { } resource || FhirJson.Text(resource, "resourceType") != request.Route.ResourceType)
        {
            // Only the Location (Prefer: return=minimal): the match is read from there.
            var location = upstream.RelativeOf(answer.Location)
                ?? (answer.Location is { } relative && !relative.Contains("://", StringComparison.Ordinal) ? relative.TrimStart('/') : null);
            body = location is not null && await upstream.GetAsync(location, request.Aborted) is { IsSuccess: true } fetched ? fetched.Body : "";
        }
        var isMatch = WriteAnswers.Parsed(body) is { } match && FhirJson.Text(match, "resourceType") == request.Route.ResourceType;
        if (!isMatch || await answers.BodyAsync(body, request) is null)
        {
            throw GatewayRefusal.Forbidden("the criteria matched a resource this token may not read: nothing of it is returned");
        }
    }

    private static GatewayRefusal NotFound(FhirRoute route) => new(StatusCodes.Status404NotFound, "not-found", $"{Path(route)} is not known");
}
