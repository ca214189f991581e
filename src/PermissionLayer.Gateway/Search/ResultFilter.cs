using System.Text.Json.Nodes;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Gateway.Enforcement;
using PermissionLayer.Gateway.Fhir;

namespace PermissionLayer.Gateway.Search;

/// <summary>
/// Defence in depth: every resource a search returns (matches and <c>_include</c>s alike) is decided
/// as a read of exactly that resource, in one CheckBatch; only permitted ones leave the gateway.
/// </summary>
public sealed class ResultFilter(DecisionGate decisions)
{
    /// <summary>For each entry, whether it may be returned (entries without a readable resource may not).</summary>
    public async Task<IReadOnlyList<bool>> PermittedAsync(IReadOnlyList<JsonObject> entries, GatewayRequest request)
    {
        var permitted = new bool[entries.Count];
        var checks = new List<CheckRequest>();
        var indexes = new List<int>();
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i]["resource"] is not JsonObject resource
                || FhirJson.Text(resource, "resourceType") is not { } type || FhirJson.Text(resource, "id") is not { } id
                || !FhirRoute.IsId(id) || !PermissionLayer.Fhir.Resources.R4ResourceTypes.Instance.IsKnown(type))
            {
                continue;
            }
            checks.Add(new CheckRequest
            {
                Token = request.Token,
                Interaction = Interaction.Read,
                ResourceType = type,
                ResourceId = id,
                Stored = new ResourceState { FhirJson = resource.ToJsonString() },
            });
            indexes.Add(i);
        }
        if (checks.Count == 0)
        {
            return permitted;
        }
        var results = await decisions.CheckEachAsync(checks, request.Decisions, request.Aborted);
        for (var k = 0; k < results.Count; k++)
        {
            permitted[indexes[k]] = DecisionGate.Permits(results[k]);
        }
        return permitted;
    }
}
