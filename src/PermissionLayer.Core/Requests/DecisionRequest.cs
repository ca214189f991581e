namespace PermissionLayer.Core.Requests;

/// <summary>One request to decide: the token, the interaction and what it touches.</summary>
public sealed record DecisionRequest
{
    public required TokenContext Token { get; init; }
    public required Interaction Interaction { get; init; }
    public bool Conditional { get; init; }
    /// <summary>The resource type, or <c>*</c> for system-level interactions.</summary>
    public required string ResourceType { get; init; }
    public string? ResourceId { get; init; }
    /// <summary>The stored resource's facts (reads, history, update, patch, delete).</summary>
    public ResourceFacts? Stored { get; init; }
    /// <summary>The new body's facts (create, update, patch).</summary>
    public ResourceFacts? Proposed { get; init; }
    /// <summary>The search query string, without <c>?</c>.</summary>
    public string? Query { get; init; }
    public long MinRevision { get; init; }

    /// <summary>Every patient whose compartment the request touches, before and after.</summary>
    public IReadOnlyList<string> TouchedPatients =>
        (Stored?.Patients ?? []).Concat(Proposed?.Patients ?? []).Distinct(StringComparer.Ordinal).ToList();
}
