namespace PermissionLayer.Core.Labels;

/// <summary>
/// What labelled data a user may see: a confidentiality <see cref="Ceiling"/> (N unless a grant says
/// otherwise) and the sensitivity <see cref="Categories"/> they were explicitly granted.
/// </summary>
public sealed record Clearance(string Ceiling, IReadOnlySet<string> Categories)
{
    /// <summary>No grant stated a clearance: normal data only, no sensitivity category.</summary>
    public static readonly Clearance Default = new(Confidentiality.Default, new HashSet<string>(StringComparer.Ordinal));

    public string Describe() =>
        Categories.Count == 0 ? $"clearance {Ceiling}" : $"clearance {Ceiling} with {string.Join(", ", Categories.Order(StringComparer.Ordinal))}";
}
