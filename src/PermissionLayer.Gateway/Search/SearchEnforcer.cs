using System.Text.Json.Nodes;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Gateway.Configuration;
using PermissionLayer.Gateway.Enforcement;
using PermissionLayer.Gateway.Fhir;
using PermissionLayer.Gateway.Upstream;

namespace PermissionLayer.Gateway.Search;

/// <summary>
/// Type-level searches: Check with the query, the obligation written into the upstream query,
/// every returned entry checked again, denied entries dropped, pages refilled from upstream and
/// paging links pointed at the gateway (signed cursors).
/// </summary>
public sealed class SearchEnforcer(UpstreamClient upstream, DecisionGate decisions, ResultFilter filter, GatewaySettings settings)
{
    public async Task<GatewayResponse> HandleAsync(GatewayRequest request, string query)
    {
        var type = request.Route.ResourceType;
        var parameters = QueryParameters.Parse(query);
        ResultShaping.Require(parameters);
        var cursorText = parameters.Value(SearchCursor.Parameter);
        var clientQuery = parameters.Without(SearchCursor.Parameter);
        var binding = $"{type}\n{clientQuery}\n{request.Token.ClientId}\n{request.Token.FhirUser}";
        var cursor = cursorText is null
            ? new SearchCursor(0, null, 0)
            : SearchCursor.Decode(cursorText, settings.CursorKey, binding)
                ?? throw GatewayRefusal.BadRequest($"the {SearchCursor.Parameter} cursor is not one this gateway issued for this search");
        var pageSize = PageSize(clientQuery.Value("_count"));
        var forwarded = clientQuery.Without("_count", "_offset", "_format");

        // Every page is decided again: a revoke between pages stops the next one.
        var decision = await decisions.RequirePermitAsync(new CheckRequest
        {
            Token = request.Token,
            Interaction = Interaction.SearchType,
            ResourceType = type,
            Query = clientQuery.Without("_count", "_format").ToString(),
        }, request.Decisions, request.Aborted);
        var plan = UpstreamSearchPlan.For(type, forwarded, decision.Obligation, pageSize, settings.MaxUpstreamUrlLength, upstream.BaseUrl.Length, settings.SecurityLabelSystems);

        var matches = new List<JsonObject>();
        var includes = new List<JsonObject>();
        var included = new HashSet<string>(StringComparer.Ordinal);
        var dropped = false;
        var position = cursor.Chunk < plan.Chunks.Count ? cursor : null;
        for (var fetches = 0; position is not null && matches.Count < pageSize && fetches < settings.MaxUpstreamPagesPerPage; fetches++)
        {
            var url = position.UpstreamUrl ?? plan.Chunks[position.Chunk];
            var page = await FetchAsync(url, request);
            var pageMatches = page.Entries.Where(e => Mode(e) == "match").ToList();
            var pageIncludes = page.Entries.Where(e => Mode(e) == "include").ToList();
            var candidates = pageMatches.Skip(position.Skip).ToList();
            var permitted = await filter.PermittedAsync([.. candidates, .. pageIncludes], request);
            var consumed = 0;
            for (var i = 0; i < candidates.Count && matches.Count < pageSize; i++, consumed++)
            {
                if (permitted[i])
                {
                    matches.Add(Entry(candidates[i], "match", request.PublicBase));
                }
                else
                {
                    dropped = true;
                }
            }
            for (var i = 0; i < pageIncludes.Count; i++)
            {
                if (!permitted[candidates.Count + i])
                {
                    dropped = true;
                }
                else if (included.Add(Key(pageIncludes[i])))
                {
                    includes.Add(Entry(pageIncludes[i], "include", request.PublicBase));
                }
            }
            dropped |= page.Entries.Count > pageMatches.Count + pageIncludes.Count;
            if (position.Skip + consumed < pageMatches.Count)
            {
                position = position with { UpstreamUrl = url, Skip = position.Skip + consumed };
            }
            else if (upstream.RelativeOf(page.NextLink) is { } next && pageMatches.Count > 0)
            {
                position = new SearchCursor(position.Chunk, next, 0);
            }
            else
            {
                position = position.Chunk + 1 < plan.Chunks.Count ? new SearchCursor(position.Chunk + 1, null, 0) : null;
            }
        }

        var self = $"{request.PublicBase}{type}" + (query.Length > 0 ? "?" + query : "");
        var links = new JsonArray(new JsonObject { ["relation"] = "self", ["url"] = self });
        if (position is not null)
        {
            var nextQuery = clientQuery.Without("_count").ToString();
            links.Add(new JsonObject
            {
                ["relation"] = "next",
                ["url"] = $"{request.PublicBase}{type}?" + (nextQuery.Length > 0 ? nextQuery + "&" : "")
                    + $"_count={pageSize}&{SearchCursor.Parameter}={position.Encode(settings.CursorKey, binding)}",
            });
        }
        var bundle = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "searchset" };
        // A total is exact only when this one page is everything and nothing was withheld: any other
        // total would count resources the requester may not see.
        if (!dropped && position is null && cursorText is null)
        {
            bundle["total"] = matches.Count;
        }
        bundle["link"] = links;
        bundle["entry"] = new JsonArray([.. matches, .. includes]);
        return new GatewayResponse(200, bundle.ToJsonString());
    }

    private async Task<UpstreamPage> FetchAsync(string url, GatewayRequest request)
    {
        var response = await upstream.GetAsync(url, request.Aborted);
        if (!response.IsSuccess)
        {
            throw new GatewayRefusal(response.Status >= 400 ? response.Status : StatusCodes.Status502BadGateway, "processing",
                $"the FHIR server refused the search ({response.Status})");
        }
        var bundle = FhirJson.ParseObject(response.Body, "the FHIR server's search result");
        if (FhirJson.Text(bundle, "resourceType") != "Bundle" || bundle["entry"] is not (JsonArray or null) || bundle["link"] is not (JsonArray or null))
        {
            throw GatewayRefusal.BadGateway("the FHIR server's search result is not a Bundle");
        }
        var entries = (bundle["entry"]?.AsArray() ?? []).OfType<JsonObject>().ToList();
        var next = (bundle["link"]?.AsArray() ?? []).OfType<JsonObject>()
            .FirstOrDefault(l => FhirJson.Text(l, "relation") == "next") is { } link ? FhirJson.Text(link, "url") : null;
        return new UpstreamPage(entries, next);
    }

    private sealed record UpstreamPage(IReadOnlyList<JsonObject> Entries, string? NextLink);

    /// <summary>An entry without a search mode is a match (R4: mode is optional).</summary>
    private static string Mode(JsonObject entry) => FhirJson.Text(entry["search"], "mode") ?? "match";

    private static string Key(JsonObject entry) =>
        $"{FhirJson.Text(entry["resource"], "resourceType")}/{FhirJson.Text(entry["resource"], "id")}";

    /// <summary>A fresh entry: the resource that was checked, a fullUrl at the gateway, the search mode.</summary>
    private static JsonObject Entry(JsonObject upstreamEntry, string mode, string publicBase) => new()
    {
        ["fullUrl"] = publicBase + Key(upstreamEntry),
        ["resource"] = upstreamEntry["resource"]!.DeepClone(),
        ["search"] = new JsonObject { ["mode"] = mode },
    };

    private int PageSize(string? count)
    {
        if (count is null)
        {
            return settings.PageSize;
        }
        if (!int.TryParse(count, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n < 1)
        {
            throw GatewayRefusal.BadRequest("_count must be a positive whole number");
        }
        return Math.Min(n, settings.MaxPageSize);
    }
}
