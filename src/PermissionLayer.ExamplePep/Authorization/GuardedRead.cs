using PermissionLayer.Client;
using PermissionLayer.Contracts.V1;
using PermissionLayer.ExamplePep.Fhir;

namespace PermissionLayer.ExamplePep.Authorization;

/// <summary>
/// GET [type]/[id], enforced: the resource is returned only on an explicit PERMIT. Every other path —
/// deny, PermissionLayer down, PermissionLayer rejecting the question — refuses (fail closed).
/// </summary>
public sealed class GuardedRead(IPermissionLayerClient permissionLayer, FhirStore store, ILogger<GuardedRead> logger)
{
    public async Task<IResult> HandleAsync(string type, string id, HttpContext http)
    {
        if (TokenHeaders.Read(http.Request.Headers) is not { } token)
        {
            return OperationOutcomes.Result(StatusCodes.Status401Unauthorized, "login", "no access token");
        }
        // The stored resource is loaded first because its facts (e.g. the Observation's patient) are
        // part of the question. Answering 404 before authorizing reveals whether an id exists; a
        // server that must hide that answers 404 for denied reads too.
        if (store.Find(type, id) is not { } resource)
        {
            return OperationOutcomes.Result(StatusCodes.Status404NotFound, "not-found", $"{type}/{id} is not known");
        }
        var request = new CheckRequest
        {
            Token = token,
            Interaction = Interaction.Read,
            ResourceType = type,
            ResourceId = id,
            // The stored resource as it is: PermissionLayer finds its patients through every element of the
            // R4 compartment (AllergyIntolerance.patient, Observation.performer, ...), not just subject.
            Stored = new ResourceState { FhirJson = resource.ToJsonString() },
        };

        CheckResult decision;
        try
        {
            decision = await permissionLayer.CheckAsync(request, http.RequestAborted);
        }
        catch (PermissionLayerUnavailableException e)
        {
            // No answer is not a yes. 503 tells the FHIR client that trying again later may work.
            logger.LogWarning(e, "PermissionLayer unavailable; denied {Type}/{Id}", type, id);
            http.Response.Headers.RetryAfter = "5";
            return OperationOutcomes.Result(StatusCodes.Status503ServiceUnavailable, "transient",
                "the authorization service is unavailable; the request was not served");
        }
        catch (PermissionLayerException e)
        {
            // PermissionLayer refused the question itself (e.g. the token lacks fhirUser): deny.
            logger.LogWarning(e, "PermissionLayer rejected the check for {Type}/{Id}", type, id);
            return OperationOutcomes.Result(StatusCodes.Status403Forbidden, "forbidden", "access could not be authorized: " + e.Detail);
        }

        // The decision id joins this response to PermissionLayer's audit of the decision.
        http.Response.Headers["X-Decision-Id"] = decision.DecisionId;
        if (!decision.IsPermitted)
        {
            var reason = decision.DecidingReason;
            return OperationOutcomes.Result(StatusCodes.Status403Forbidden, "forbidden",
                reason?.Message ?? "access denied", reason?.Code ?? "deny");
        }
        return Results.Text(resource.ToJsonString(), FhirJson.ContentType);
    }
}
