using System.Text.Json.Nodes;

namespace PermissionLayer.Gateway.Fhir;

/// <summary>FHIR OperationOutcome bodies for refusals, so FHIR clients can show why.</summary>
public static class OperationOutcomes
{
    /// <summary>The code system naming PermissionLayer reason codes in <c>issue.details</c>.</summary>
    public const string ReasonSystem = "urn:permissionlayer:reason";

    public static JsonObject Of(string issueCode, string diagnostics, string? reasonCode = null)
    {
        var issue = new JsonObject { ["severity"] = "error", ["code"] = issueCode, ["diagnostics"] = diagnostics };
        if (reasonCode is not null)
        {
            issue["details"] = new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject { ["system"] = ReasonSystem, ["code"] = reasonCode }),
                ["text"] = diagnostics,
            };
        }
        return new JsonObject { ["resourceType"] = "OperationOutcome", ["issue"] = new JsonArray(issue) };
    }

    public static GatewayResponse Response(GatewayRefusal refusal) =>
        new(refusal.Status, Of(refusal.IssueCode, refusal.Message, refusal.ReasonCode).ToJsonString());
}
