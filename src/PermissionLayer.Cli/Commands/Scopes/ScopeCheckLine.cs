using System.Text.Json;
using PermissionLayer.Core.Requests;
using PermissionLayer.Core.Scopes;
using PermissionLayer.Fhir.Resources;

namespace PermissionLayer.Cli.Commands.Scopes;

/// <summary>
/// One JSON Lines request of <c>plctl scopes check</c>: the token's scopes and launch patient, the
/// interaction, the resource states (facts, or FHIR JSON to extract them from) and the query.
/// </summary>
internal static class ScopeCheckLine
{
    public static (string Id, string Scopes, ScopeRequest Request) Parse(JsonElement line)
    {
        var interactionName = Text(line, "interaction") ?? throw new FormatException("interaction is required");
        if (!InteractionNames.TryParse(interactionName, out var interaction))
        {
            throw new FormatException($"interaction '{interactionName}' is not one of {string.Join(", ", InteractionNames.All)}");
        }
        var request = new ScopeRequest
        {
            Interaction = interaction,
            Conditional = line.TryGetProperty("conditional", out var conditional) && conditional.ValueKind == JsonValueKind.True,
            ResourceType = Text(line, "resourceType") ?? "*",
            LaunchPatient = Text(line, "patient"),
            Stored = Facts(line, "resource"),
            Proposed = Facts(line, "newResource"),
            Query = SearchQuery.Parse(Text(line, "query")),
        };
        return (Text(line, "id") ?? "", Text(line, "scopes") ?? "", request);
    }

    private static ResourceFacts? Facts(JsonElement line, string name)
    {
        if (!line.TryGetProperty(name, out var state) || state.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (state.TryGetProperty("fhir", out var fhir))
        {
            try
            {
                return ResourceFactsExtractor.Extract(fhir.GetRawText()).Facts;
            }
            catch (FhirInputException e)
            {
                throw new FormatException($"{name}.fhir: {e.Message}");
            }
        }
        var attributes = state.TryGetProperty("attributes", out var a) ? a : default;
        return new ResourceFacts
        {
            Patients = Strings(state, "patients"),
            Category = Tokens(attributes, "category"),
            Code = Tokens(attributes, "code"),
            Tag = Tokens(attributes, "_tag"),
            Security = Tokens(attributes, "_security"),
            Status = attributes.ValueKind == JsonValueKind.Object ? Text(attributes, "status") : null,
        };
    }

    private static IReadOnlyList<Token> Tokens(JsonElement attributes, string name) =>
        attributes.ValueKind == JsonValueKind.Object ? [.. Strings(attributes, name).Select(Token.Parse)] : [];

    private static IReadOnlyList<string> Strings(JsonElement element, string name) =>
        element.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? [.. array.EnumerateArray().Select(v => v.GetString() ?? throw new FormatException($"{name} must hold strings"))]
            : [];

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
