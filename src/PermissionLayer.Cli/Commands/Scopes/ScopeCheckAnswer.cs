using System.Text.Json;
using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Scopes;

namespace PermissionLayer.Cli.Commands.Scopes;

/// <summary>One JSON line of output: <c>{"id","outcome","reason","filter"?}</c>.</summary>
internal static class ScopeCheckAnswer
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        // Output is for people and scripts, not for HTML: keep quotes and '|' readable.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Of(string id, ScopeDecision decision) => JsonSerializer.Serialize(new
    {
        id,
        outcome = decision.Outcome == Outcome.Permit ? "permit" : "deny",
        reason = decision.Reason.Message,
        code = decision.Reason.Code,
        filter = decision.Filter is { } filter
            ? new
            {
                anyOf = filter.AnyOf.Select(b => new
                {
                    scope = b.Scope,
                    context = b.Context.ToString().ToLowerInvariant(),
                    resourceType = b.ResourceType,
                    compartmentPatient = b.CompartmentPatient,
                    allOf = b.AllOf.Select(c => new { parameter = c.Parameter, anyOf = c.AnyOf }),
                }),
                types = filter.Types,
            }
            : null,
    }, Json);

    public static string Error(string id, string reason) => JsonSerializer.Serialize(new { id, outcome = "error", reason }, Json);
}
