using System.Text.Json.Nodes;

namespace PermissionLayer.ExamplePep.Fhir;

/// <summary>FHIR OperationOutcome bodies for the refusals, so FHIR clients can show why.</summary>
public static class OperationOutcomes
{
    /// <summary>The code system naming PermissionLayer reason codes in <c>issue.details</c>.</summary>
    public const string ReasonSystem = "urn:permissionlayer:reason";

    public static IResult Result(int status, string issueCode, string diagnostics, string? reasonCode = null)
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
        var outcome = new JsonObject { ["resourceType"] = "OperationOutcome", ["issue"] = new JsonArray(issue) };
        return Results.Text(outcome.ToJsonString(), FhirJson.ContentType, statusCode: status);
    }
}
