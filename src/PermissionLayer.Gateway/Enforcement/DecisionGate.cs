using PermissionLayer.Client;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Gateway.Configuration;
using PermissionLayer.Gateway.Fhir;

namespace PermissionLayer.Gateway.Enforcement;

/// <summary>
/// Asks the decision service and turns everything that is not an explicit PERMIT into a refusal:
/// a deny is 403 naming the deciding reason, an unreachable service 503, a rejected question 403.
/// </summary>
public sealed class DecisionGate(IPermissionLayerClient client, GatewaySettings settings, ILogger<DecisionGate> logger)
{
    /// <summary>A decision; throws a refusal unless it is a permit.</summary>
    public async Task<CheckResponse> RequirePermitAsync(CheckRequest request, DecisionLog log, CancellationToken cancellationToken)
    {
        var decision = await CheckAsync(request, log, cancellationToken);
        if (decision.Outcome != Outcome.Permit)
        {
            throw Denied(decision);
        }
        return decision;
    }

    public async Task<CheckResponse> CheckAsync(CheckRequest request, DecisionLog log, CancellationToken cancellationToken)
    {
        try
        {
            var result = await client.CheckAsync(request, cancellationToken);
            log.Add(result.DecisionId);
            return result.Response;
        }
        catch (PermissionLayerUnavailableException e)
        {
            logger.LogWarning(e, "decision service unavailable");
            throw GatewayRefusal.Unavailable("the authorization service is unavailable; the request was not served");
        }
        catch (PermissionLayerException e)
        {
            logger.LogWarning(e, "decision service rejected the check");
            throw GatewayRefusal.Forbidden("access could not be authorized: " + e.Detail, "request.rejected");
        }
    }

    /// <summary>
    /// One decision per request, in order, in as few CheckBatch calls as the service's batch limit
    /// allows. An entry the service could not decide counts as a deny (null decision).
    /// </summary>
    public async Task<IReadOnlyList<CheckResponse?>> CheckEachAsync(IReadOnlyList<CheckRequest> requests, DecisionLog log, CancellationToken cancellationToken)
    {
        var results = new List<CheckResponse?>(requests.Count);
        foreach (var chunk in requests.Chunk(settings.MaxBatchEntries))
        {
            var batch = new CheckBatchRequest();
            batch.Entries.AddRange(chunk);
            CheckBatchResponse response;
            try
            {
                response = await client.CheckBatchAsync(batch, cancellationToken);
            }
            catch (PermissionLayerUnavailableException e)
            {
                logger.LogWarning(e, "decision service unavailable");
                throw GatewayRefusal.Unavailable("the authorization service is unavailable; the request was not served");
            }
            catch (PermissionLayerException e)
            {
                logger.LogWarning(e, "decision service rejected the batch");
                throw GatewayRefusal.Forbidden("access could not be authorized: " + e.Detail, "request.rejected");
            }
            foreach (var result in response.Results)
            {
                if (result.ResultCase == CheckBatchResult.ResultOneofCase.Decision)
                {
                    log.Add(result.Decision.DecisionId);
                    results.Add(result.Decision);
                }
                else
                {
                    results.Add(null);
                }
            }
        }
        return results;
    }

    public static bool Permits(CheckResponse? decision) => decision is { Outcome: Outcome.Permit };

    public static GatewayRefusal Denied(CheckResponse decision)
    {
        var reason = decision.Reasons.FirstOrDefault(r => r.Outcome != Outcome.Permit);
        return GatewayRefusal.Forbidden(reason?.Message ?? "access denied", reason?.Code ?? "deny");
    }
}
