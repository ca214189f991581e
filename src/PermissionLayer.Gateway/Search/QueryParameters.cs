namespace PermissionLayer.Gateway.Search;

/// <summary>
/// A query string as its parameters, in order, each kept as sent (still percent-encoded) so that
/// what the gateway forwards is byte for byte what the client asked, plus what the obligation adds.
/// </summary>
public sealed record QueryParameters(IReadOnlyList<(string Name, string RawValue)> Items)
{
    public static QueryParameters Parse(string query)
    {
        var items = new List<(string, string)>();
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var name = Uri.UnescapeDataString((equals < 0 ? pair : pair[..equals]).Replace('+', ' '));
            items.Add((name, equals < 0 ? "" : pair[(equals + 1)..]));
        }
        return new QueryParameters(items);
    }

    public string? Value(string name)
    {
        foreach (var (n, v) in Items)
        {
            if (n == name)
            {
                return Uri.UnescapeDataString(v.Replace('+', ' '));
            }
        }
        return null;
    }

    public bool Has(string name) => Items.Any(i => i.Name == name);

    public QueryParameters Without(params string[] names) => new([.. Items.Where(i => !names.Contains(i.Name))]);

    /// <summary>The parameters as a query string (without <c>?</c>), names re-encoded, values as they were.</summary>
    public override string ToString() =>
        string.Join('&', Items.Select(i => EscapeName(i.Name) + "=" + i.RawValue));

    /// <summary>Parameter names keep FHIR's <c>:</c> modifiers and <c>.</c> chains readable.</summary>
    private static string EscapeName(string name) => Uri.EscapeDataString(name).Replace("%3A", ":", StringComparison.Ordinal);
}
