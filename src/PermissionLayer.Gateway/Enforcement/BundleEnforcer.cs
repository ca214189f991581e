using System.Text.Json.Nodes;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Gateway.Fhir;
using PermissionLayer.Gateway.Upstream;

namespace PermissionLayer.Gateway.Enforcement;

/// <summary>
/// Batch and transaction Bundles: every entry is decided in one CheckBatch (creates on the proposed
/// state, updates and deletes on the stored state and the proposed one). A transaction with any
/// entry not permitted is refused whole; a batch forwards the permitted entries and answers 403 for
/// the others, in the entries' order.
/// </summary>
public sealed class BundleEnforcer(UpstreamClient upstream, DecisionGate decisions, WriteAnswers answers)
{
    public async Task<GatewayResponse> HandleAsync(GatewayRequest request, string body)
    {
        var bundle = FhirJson.ParseObject(body, "the request body", StatusCodes.Status400BadRequest);
        var bundleType = FhirJson.Text(bundle, "type");
        if (FhirJson.Text(bundle, "resourceType") != "Bundle" || bundleType is not ("batch" or "transaction"))
        {
            throw GatewayRefusal.BadRequest("POST to the base URL takes a Bundle of type batch or transaction");
        }
        var transaction = bundleType == "transaction";
        var entries = (bundle["entry"] as JsonArray ?? []).Select(e => e as JsonObject).ToList();
        var prepared = new List<Prepared>();
        foreach (var (entry, index) in entries.Select((e, i) => (e, i)))
        {
            try
            {
                prepared.Add(await PrepareAsync(request, entry, index));
            }
            catch (GatewayRefusal refusal) when (refusal.Status != StatusCodes.Status503ServiceUnavailable)
            {
                prepared.Add(new Prepared(index, entry, null, refusal));
            }
        }
        var toCheck = prepared.Where(p => p.Check is not null).ToList();
        var results = await decisions.CheckEachAsync([.. toCheck.Select(p => p.Check!)], request.Decisions, request.Aborted);
        for (var k = 0; k < toCheck.Count; k++)
        {
            if (!DecisionGate.Permits(results[k]))
            {
                var refusal = results[k] is { } decision ? DecisionGate.Denied(decision) : GatewayRefusal.Forbidden("the entry could not be decided", "entry.error");
                prepared[toCheck[k].Index] = toCheck[k] with { Refusal = refusal };
            }
        }
        var refused = prepared.Where(p => p.Refusal is not null).ToList();
        if (transaction)
        {
            if (refused.Count > 0)
            {
                var first = refused[0];
                throw new GatewayRefusal(StatusCodes.Status403Forbidden, "forbidden",
                    $"the transaction was refused whole: entry {first.Index}: {first.Refusal!.Message}"
                    + (refused.Count > 1 ? $" (and {refused.Count - 1} more entries)" : ""), first.Refusal.ReasonCode);
            }
            var response = await upstream.SendAsync(HttpMethod.Post, "", Rebuilt(bundle, prepared).ToJsonString(), null, null, request.Aborted);
            return await AnswerAsync(request, response);
        }
        var permitted = prepared.Where(p => p.Refusal is null).ToList();
        var upstreamEntries = new List<JsonNode?>();
        if (permitted.Count > 0)
        {
            var batch = Rebuilt(bundle, permitted);
            var response = await upstream.SendAsync(HttpMethod.Post, "", batch.ToJsonString(), null, null, request.Aborted);
            if (!response.IsSuccess)
            {
                return await AnswerAsync(request, response);
            }
            var answer = FhirJson.ParseObject(response.Body, "the FHIR server's batch-response");
            var answered = answer["entry"] as JsonArray ?? [];
            await answers.StripAsync(answered, request);
            upstreamEntries = [.. answered];
            if (upstreamEntries.Count != permitted.Count)
            {
                throw GatewayRefusal.BadGateway("the FHIR server's batch-response does not answer every entry");
            }
        }
        var merged = new JsonArray();
        var next = 0;
        foreach (var entry in prepared)
        {
            merged.Add(entry.Refusal is { } refusal
                ? new JsonObject
                {
                    ["response"] = new JsonObject
                    {
                        ["status"] = $"{refusal.Status}",
                        ["outcome"] = OperationOutcomes.Of(refusal.IssueCode, refusal.Message, refusal.ReasonCode),
                    },
                }
                : upstreamEntries[next++]?.DeepClone());
        }
        var result = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "batch-response", ["entry"] = merged };
        return new GatewayResponse(200, Rebased(result.ToJsonString(), request.PublicBase));
    }

    private sealed record Prepared(int Index, JsonObject? Entry, CheckRequest? Check, GatewayRefusal? Refusal, string? IfMatch = null);

    private async Task<Prepared> PrepareAsync(GatewayRequest request, JsonObject? entry, int index)
    {
        if (entry?["request"] is not JsonObject entryRequest || FhirJson.Text(entryRequest, "method") is not { } method
            || FhirJson.Text(entryRequest, "url") is not { } url)
        {
            throw GatewayRefusal.BadRequest("the entry needs request.method and request.url");
        }
        var question = url.IndexOf('?');
        var route = FhirRoute.Parse(method, question < 0 ? url : url[..question]);
        var check = new CheckRequest { Token = request.Token, ResourceType = route.ResourceType, ResourceId = route.Id };
        string? ifMatch = null;
        switch (route.Kind)
        {
            case RouteKind.Create when question < 0:
                check.Interaction = Interaction.Create;
                check.Proposed = new ResourceState { FhirJson = WriteEnforcer.Resource(Body(entry), route.ResourceType, null).ToJsonString() };
                if (FhirJson.Text(entryRequest, "ifNoneExist") is { Length: > 0 } criteria)
                {
                    check.Conditional = true;
                    check.Query = criteria;
                }
                break;
            case RouteKind.Update when question < 0:
            {
                check.Interaction = Interaction.Update;
                var stored = await StoredAsync(route, request);
                check.Stored = stored is null ? new ResourceState { Absent = true } : new ResourceState { FhirJson = stored.ToJsonString() };
                check.Proposed = new ResourceState { FhirJson = WriteEnforcer.Resource(Body(entry), route.ResourceType, route.Id).ToJsonString() };
                ifMatch = Version(stored);
                break;
            }
            case RouteKind.Delete when question < 0:
            {
                check.Interaction = Interaction.Delete;
                var stored = await StoredAsync(route, request)
                    ?? throw new GatewayRefusal(StatusCodes.Status404NotFound, "not-found", $"{route.ResourceType}/{route.Id} is not known");
                check.Stored = new ResourceState { FhirJson = stored.ToJsonString() };
                ifMatch = Version(stored);
                break;
            }
            default:
                // Reads, searches, patches and conditional writes inside a Bundle would return or change
                // data the gateway decides only after upstream ran them: refused, not forwarded unchecked.
                throw GatewayRefusal.NotSupported($"{method} {url} is not supported inside a Bundle through the gateway");
        }
        return new Prepared(index, entry, check, null, ifMatch);
    }

    private static string Body(JsonObject entry) =>
        entry["resource"] is JsonObject resource ? resource.ToJsonString() : throw GatewayRefusal.BadRequest("the entry needs a resource");

    private static string? Version(JsonObject? stored) =>
        FhirJson.Text(stored?["meta"], "versionId") is { } version ? $"W/\"{version}\"" : null;

    private async Task<JsonObject?> StoredAsync(FhirRoute route, GatewayRequest request)
    {
        var response = await upstream.GetAsync($"{route.ResourceType}/{route.Id}", request.Aborted);
        if (response.Status is 404 or 410)
        {
            return null;
        }
        if (!response.IsSuccess)
        {
            throw new GatewayRefusal(response.Status, "processing", $"the FHIR server answered {response.Status} for the stored state");
        }
        var stored = FhirJson.ParseObject(response.Body, "the FHIR server's stored state");
        if (FhirJson.Text(stored, "id") != route.Id || FhirJson.Text(stored, "resourceType") != route.ResourceType)
        {
            throw GatewayRefusal.BadGateway("the FHIR server answered another resource");
        }
        return stored;
    }

    /// <summary>The Bundle to forward: the given entries only, each write guarded by the version it was decided on.</summary>
    private static JsonObject Rebuilt(JsonObject bundle, IReadOnlyList<Prepared> entries)
    {
        var copy = new JsonObject { ["resourceType"] = "Bundle", ["type"] = bundle["type"]!.DeepClone() };
        var list = new JsonArray();
        foreach (var prepared in entries)
        {
            var entry = (JsonObject)prepared.Entry!.DeepClone();
            if (prepared.IfMatch is { } version && entry["request"] is JsonObject r && r["ifMatch"] is null)
            {
                r["ifMatch"] = version;
            }
            list.Add(entry);
        }
        copy["entry"] = list;
        return copy;
    }

    /// <summary>Upstream's own answer (a transaction-response, or an error), with only the resources a read would give back.</summary>
    private async Task<GatewayResponse> AnswerAsync(GatewayRequest request, UpstreamResponse response)
    {
        if (response.Body.Length == 0)
        {
            return new GatewayResponse(response.Status, null);
        }
        // Only a Bundle (its entries' resources checked) or an OperationOutcome is passed on; anything else is dropped.
        var answer = WriteAnswers.Parsed(response.Body);
        if (FhirJson.Text(answer, "resourceType") is not ("Bundle" or "OperationOutcome"))
        {
            return new GatewayResponse(response.Status, null);
        }
        if (answer!["entry"] is JsonArray entries)
        {
            await answers.StripAsync(entries, request);
        }
        return new GatewayResponse(response.Status, Rebased(answer.ToJsonString(), request.PublicBase));
    }

    /// <summary>Absolute URLs of the upstream in an answer (locations, fullUrls) as URLs of the gateway.</summary>
    private string Rebased(string text, string publicBase) => text.Replace(upstream.BaseUrl, publicBase, StringComparison.Ordinal);
}
