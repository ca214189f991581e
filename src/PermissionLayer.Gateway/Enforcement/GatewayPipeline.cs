using System.Text;
using PermissionLayer.Gateway.Configuration;
using PermissionLayer.Gateway.Fhir;
using PermissionLayer.Gateway.Search;
using PermissionLayer.Gateway.Tokens;
using PermissionLayer.Gateway.Upstream;

namespace PermissionLayer.Gateway.Enforcement;

/// <summary>
/// Every FHIR request: the route is read, the token validated, the interaction enforced, and the
/// answer written with the decision ids. Whatever is not recognised, validated and permitted is
/// refused with an OperationOutcome; nothing is forwarded on a default path.
/// </summary>
public sealed class GatewayPipeline(
    GatewaySettings settings,
    AccessTokenValidator tokens,
    UpstreamClient upstream,
    ReadEnforcer reads,
    SearchEnforcer searches,
    WriteEnforcer writes,
    BundleEnforcer bundles,
    OperationEnforcer operations,
    ILogger<GatewayPipeline> logger)
{
    public async Task HandleAsync(HttpContext http)
    {
        var log = new DecisionLog();
        GatewayResponse response;
        try
        {
            response = await RespondAsync(http, log);
        }
        catch (GatewayRefusal refusal)
        {
            response = OperationOutcomes.Response(refusal);
            if (refusal.Status == StatusCodes.Status503ServiceUnavailable)
            {
                response.WithHeader("Retry-After", "5");
            }
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            // A bug is a refusal too: nothing of what upstream sent is in this answer.
            logger.LogError(e, "unexpected failure; refused {Method} {Path}", http.Request.Method, http.Request.Path);
            response = OperationOutcomes.Response(new GatewayRefusal(StatusCodes.Status500InternalServerError, "exception", "the gateway failed; the request was not served"));
        }
        await WriteAsync(http, response, log);
    }

    private async Task<GatewayResponse> RespondAsync(HttpContext http, DecisionLog log)
    {
        var route = FhirRoute.Parse(http.Request.Method, http.Request.Path.Value ?? "");
        var publicBase = PublicBase(http);
        switch (route.Kind)
        {
            case RouteKind.Unknown:
                throw new GatewayRefusal(StatusCodes.Status404NotFound, "not-supported", $"{http.Request.Method} {http.Request.Path} is not a FHIR interaction this gateway serves");
            case RouteKind.Metadata:
            case RouteKind.SmartConfiguration:
                return await CapabilitiesAsync(route, publicBase, http.RequestAborted);
        }
        var token = await tokens.ValidateAsync(http.Request.Headers.Authorization.ToString(), http.RequestAborted);
        if (!token.IsValid)
        {
            var challenge = $"Bearer realm=\"{publicBase}\", error=\"{token.Error}\", error_description=\"{token.Description}\"";
            var code = token.Status == StatusCodes.Status401Unauthorized ? "login" : "forbidden";
            return new GatewayResponse(token.Status, OperationOutcomes.Of(code, token.Description).ToJsonString())
                .WithHeader("WWW-Authenticate", challenge);
        }
        var request = new GatewayRequest(http, route, token.Context!, publicBase, log);
        switch (route.Kind)
        {
            case RouteKind.Read:
            case RouteKind.VRead:
            case RouteKind.HistoryInstance:
                return await reads.HandleAsync(request);
            case RouteKind.SearchType:
                return await searches.HandleAsync(request, await SearchQueryAsync(http, request.Query));
            case RouteKind.Create:
            case RouteKind.Update:
            case RouteKind.Patch:
            case RouteKind.Delete:
            case RouteKind.ConditionalWrite:
                return await writes.HandleAsync(request, await BodyAsync(http));
            case RouteKind.Bundle:
                return await bundles.HandleAsync(request, await BodyAsync(http));
            case RouteKind.Operation:
                return await operations.HandleAsync(request);
            default:
                throw GatewayRefusal.NotSupported($"{route.Kind} is not supported through the gateway yet");
        }
    }

    /// <summary>
    /// metadata and .well-known/smart-configuration, passed through with the gateway's base URL in
    /// place of the upstream's. Neither needs a token (SMART App Launch: discovery comes first).
    /// </summary>
    private async Task<GatewayResponse> CapabilitiesAsync(FhirRoute route, string publicBase, CancellationToken cancellationToken)
    {
        var path = route.Kind == RouteKind.Metadata ? "metadata" : ".well-known/smart-configuration";
        var response = await upstream.GetAsync(path, cancellationToken);
        if (!response.IsSuccess)
        {
            throw new GatewayRefusal(response.Status, "processing", $"the FHIR server answered {response.Status} for {path}");
        }
        var rebased = response.Body.Replace(upstream.BaseUrl, publicBase, StringComparison.Ordinal)
            .Replace(upstream.BaseUrl.TrimEnd('/'), publicBase.TrimEnd('/'), StringComparison.Ordinal);
        return new GatewayResponse(200, rebased, route.Kind == RouteKind.Metadata ? FhirJson.ContentType : "application/json");
    }

    private string PublicBase(HttpContext http) =>
        settings.PublicBaseUrl?.ToString() ?? $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/";

    /// <summary>A GET search's query; a POST _search's form body joined to it (FHIR: both count).</summary>
    private static async Task<string> SearchQueryAsync(HttpContext http, string query)
    {
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            return query;
        }
        if (!(http.Request.ContentType ?? "").StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            throw GatewayRefusal.BadRequest("a POST _search takes an application/x-www-form-urlencoded body");
        }
        var form = await BodyAsync(http);
        return string.Join('&', new[] { query, form.Trim() }.Where(p => p.Length > 0));
    }

    private static async Task<string> BodyAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(http.RequestAborted);
    }

    private static async Task WriteAsync(HttpContext http, GatewayResponse response, DecisionLog log)
    {
        http.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers)
        {
            http.Response.Headers[name] = value;
        }
        if (log.Ids.Count > 0)
        {
            http.Response.Headers[DecisionLog.HeaderName] = string.Join(", ", log.Ids);
        }
        if (response.Body is { } body)
        {
            http.Response.ContentType = response.ContentType;
            await http.Response.WriteAsync(body, http.RequestAborted);
        }
    }
}
