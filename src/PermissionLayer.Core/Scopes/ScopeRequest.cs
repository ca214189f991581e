using PermissionLayer.Core.Requests;

namespace PermissionLayer.Core.Scopes;

/// <summary>What the scope term looks at in one request.</summary>
public sealed record ScopeRequest
{
    public required Interaction Interaction { get; init; }
    public bool Conditional { get; init; }
    /// <summary>The resource type, or <c>*</c> for system-level interactions.</summary>
    public required string ResourceType { get; init; }
    public string? LaunchPatient { get; init; }
    public ResourceFacts? Stored { get; init; }
    public ResourceFacts? Proposed { get; init; }
    public SearchQuery Query { get; init; } = SearchQuery.Empty;

    public static ScopeRequest From(DecisionRequest request) => new()
    {
        Interaction = request.Interaction,
        Conditional = request.Conditional,
        ResourceType = request.ResourceType,
        LaunchPatient = request.Token.LaunchPatient,
        Stored = request.Stored,
        Proposed = request.Proposed,
        Query = SearchQuery.Parse(request.Query),
    };
}
