using System.Text.Json.Nodes;

namespace PermissionLayer.Gateway.Fhir;

/// <summary>
/// RFC 6902 JSON Patch, applied locally so that a PATCH is decided on the state it would produce
/// (the request contract's <c>proposed</c>). Any operation that cannot be applied exactly is a 400:
/// a patch the gateway cannot compute is a state it cannot check.
/// </summary>
public static class JsonPatch
{
    public static JsonObject Apply(JsonObject document, string patchText)
    {
        JsonArray operations;
        try
        {
            operations = JsonNode.Parse(patchText) as JsonArray ?? throw GatewayRefusal.BadRequest("a JSON Patch must be an array of operations");
        }
        catch (System.Text.Json.JsonException)
        {
            throw GatewayRefusal.BadRequest("the JSON Patch is not JSON");
        }
        var root = (JsonNode)document.DeepClone();
        foreach (var (node, index) in operations.Select((o, i) => (o, i)))
        {
            if (node is not JsonObject operation || FhirJson.Text(operation, "op") is not { } op || FhirJson.Text(operation, "path") is not { } path)
            {
                throw GatewayRefusal.BadRequest($"JSON Patch operation {index} needs op and path");
            }
            var value = operation["value"];
            switch (op)
            {
                case "add":
                    root = Add(root, path, Required(value, index), index);
                    break;
                case "remove":
                    root = Remove(root, path, index, out _);
                    break;
                case "replace":
                    root = Remove(root, path, index, out _);
                    root = Add(root, path, Required(value, index), index);
                    break;
                case "move":
                    root = Remove(root, From(operation, index), index, out var moved);
                    root = Add(root, path, moved, index);
                    break;
                case "copy":
                    root = Add(root, path, Get(root, From(operation, index), index).DeepClone(), index);
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Get(root, path, index), value))
                    {
                        throw new GatewayRefusal(StatusCodes.Status422UnprocessableEntity, "processing", $"JSON Patch test operation {index} failed");
                    }
                    break;
                default:
                    throw GatewayRefusal.BadRequest($"JSON Patch operation {index}: unknown op '{op}'");
            }
        }
        return root as JsonObject ?? throw GatewayRefusal.BadRequest("the JSON Patch does not leave a resource");
    }

    private static JsonNode Required(JsonNode? value, int index) =>
        value?.DeepClone() ?? throw GatewayRefusal.BadRequest($"JSON Patch operation {index} needs a value");

    private static string From(JsonObject operation, int index) =>
        FhirJson.Text(operation, "from") ?? throw GatewayRefusal.BadRequest($"JSON Patch operation {index} needs from");

    private static List<string> Pointer(string path, int index)
    {
        if (path.Length == 0)
        {
            return [];
        }
        if (path[0] != '/')
        {
            throw GatewayRefusal.BadRequest($"JSON Patch operation {index}: '{path}' is not a JSON Pointer");
        }
        return [.. path[1..].Split('/').Select(t => t.Replace("~1", "/").Replace("~0", "~"))];
    }

    private static JsonNode Get(JsonNode root, string path, int index)
    {
        var node = root;
        foreach (var token in Pointer(path, index))
        {
            node = Child(node, token, index) ?? throw Missing(path, index);
        }
        return node;
    }

    private static JsonNode? Child(JsonNode node, string token, int index) => node switch
    {
        JsonObject o => o.TryGetPropertyValue(token, out var v) ? v : null,
        JsonArray a => ArrayIndex(a, token, index, allowEnd: false) is var i and >= 0 && i < a.Count ? a[i] : null,
        _ => null,
    };

    private static JsonNode Add(JsonNode root, string path, JsonNode value, int index)
    {
        var tokens = Pointer(path, index);
        if (tokens.Count == 0)
        {
            return value;
        }
        var parent = Get(root, ParentPath(tokens), index);
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a:
                var i = ArrayIndex(a, last, index, allowEnd: true);
                if (i == a.Count)
                {
                    a.Add(value);
                }
                else
                {
                    a.Insert(i, value);
                }
                break;
            default:
                throw Missing(path, index);
        }
        return root;
    }

    private static JsonNode Remove(JsonNode root, string path, int index, out JsonNode removed)
    {
        var tokens = Pointer(path, index);
        if (tokens.Count == 0)
        {
            throw GatewayRefusal.BadRequest($"JSON Patch operation {index} cannot remove the whole resource");
        }
        var parent = Get(root, ParentPath(tokens), index);
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject o when o.TryGetPropertyValue(last, out var v) && v is not null:
                o.Remove(last);
                removed = v;
                break;
            case JsonArray a when ArrayIndex(a, last, index, allowEnd: false) is var i and >= 0 && i < a.Count:
                removed = a[i]!;
                a.RemoveAt(i);
                break;
            default:
                throw Missing(path, index);
        }
        return root;
    }

    private static int ArrayIndex(JsonArray array, string token, int index, bool allowEnd)
    {
        if (allowEnd && token == "-")
        {
            return array.Count;
        }
        if (token.Length == 0 || (token.Length > 1 && token[0] == '0') || !token.All(char.IsAsciiDigit) || !int.TryParse(token, out var i)
            || i > (allowEnd ? array.Count : array.Count - 1))
        {
            throw GatewayRefusal.BadRequest($"JSON Patch operation {index}: '{token}' is not an index of the array");
        }
        return i;
    }

    private static string ParentPath(List<string> tokens) =>
        tokens.Count == 1 ? "" : "/" + string.Join('/', tokens[..^1].Select(Escape));

    private static string Escape(string token) => token.Replace("~", "~0").Replace("/", "~1");

    private static GatewayRefusal Missing(string path, int index) =>
        new(StatusCodes.Status422UnprocessableEntity, "processing", $"JSON Patch operation {index}: '{path}' does not exist");
}
