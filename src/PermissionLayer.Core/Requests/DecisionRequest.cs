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
    /// <summary>The PEP says the resource does not exist yet: an update that creates it (no <see cref="Stored"/>).</summary>
    public bool StoredAbsent { get; init; }
    /// <summary>The new body's facts (create, update, patch).</summary>
    public ResourceFacts? Proposed { get; init; }
    /// <summary>The search query string, without <c>?</c>.</summary>
    public string? Query { get; init; }
    public long MinRevision { get; init; }
    /// <summary>For <see cref="Interaction.Operation"/>: the operation's name with its <c>$</c>, e.g. <c>$everything</c>.</summary>
    public string? Operation { get; init; }
    /// <summary>
    /// A Group whose members the request is confined to, on top of the token's (set by an operation
    /// such as <c>Group/g/$export</c>): the decision intersects its members with every other term.
    /// </summary>
    public string? WithinGroup { get; init; }

    /// <summary>A conditional create, update, patch or delete: <see cref="Query"/> holds its criteria.</summary>
    public bool IsConditionalWrite =>
        Conditional && Interaction is Interaction.Create or Interaction.Update or Interaction.Patch or Interaction.Delete;

    /// <summary>
    /// Every patient whose compartment the request touches, before and after; for a conditional write
    /// also those its criteria name (whether a match exists is their data: the FHIR server's 200 or 201 says so).
    /// </summary>
    public IReadOnlyList<string> TouchedPatients =>
        (Stored?.Patients ?? []).Concat(Proposed?.Patients ?? [])
            .Concat(IsConditionalWrite ? Scopes.SearchQuery.Parse(Query).TargetedPatients(ResourceType) : [])
            .Distinct(StringComparer.Ordinal).ToList();
}
