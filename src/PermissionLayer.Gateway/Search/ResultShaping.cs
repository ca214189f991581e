using PermissionLayer.Gateway.Fhir;

namespace PermissionLayer.Gateway.Search;

/// <summary>
/// Which of a client's query parameters may reach the FHIR server with a request whose returned
/// resources the gateway checks one by one. Each check reads the resource's JSON as it comes back, so
/// a parameter that makes the server return less than it stores (its <c>meta.security</c>, its code)
/// would turn the check into a check of something else. The FHIR servers behind the gateway spell
/// such parameters many ways (<c>_elements</c>, <c>_elements:exclude</c>, Medplum's <c>_fields</c>), so
/// this is an allow-list: a parameter whose name starts with <c>_</c> passes only when it selects,
/// orders or pages whole resources; search parameters of the type (no <c>_</c>) select and pass.
/// </summary>
public static class ResultShaping
{
    /// <summary>Parameters that select whole resources (FHIR R4 search 3.1.1.4–3.1.1.5), modifiers and chains allowed.</summary>
    private static readonly HashSet<string> Selecting = new(StringComparer.Ordinal)
    {
        "_id", "_lastUpdated", "_tag", "_profile", "_security", "_source", "_list", "_has", "_type", "_text", "_content",
        "_filter", "_include", "_revinclude",
    };

    /// <summary>Parameters that order or page whole resources, taken only as spelled here (no modifier).</summary>
    private static readonly HashSet<string> Paging = new(StringComparer.Ordinal)
    {
        "_sort", "_count", "_offset", "_total", "_pretty", "_since", "_at", SearchCursor.Parameter,
    };

    /// <summary>Refuses (400, naming the parameter) the first parameter that could change what a returned resource holds, or its format.</summary>
    public static void Require(QueryParameters parameters)
    {
        // Each occurrence on its own: a FHIR server may combine repeats (_summary=false&_summary=true).
        foreach (var (name, raw) in parameters.Items)
        {
            if (!Whole(name, Uri.UnescapeDataString(raw.Replace('+', ' '))))
            {
                throw GatewayRefusal.BadRequest($"the parameter {name} is not supported through the gateway: it could change what a returned resource holds after it is checked");
            }
        }
    }

    private static bool Whole(string name, string? value) =>
        !name.StartsWith('_')
        || Selecting.Contains(name.Split(':', 2)[0])
        || Paging.Contains(name)
        || name == "_summary" && value == "false"
        || name == "_format" && value is "json" or "application/json" or "application/fhir+json";
}
