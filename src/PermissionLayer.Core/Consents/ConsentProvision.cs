using PermissionLayer.Core.Requests;

namespace PermissionLayer.Core.Consents;

/// <summary>
/// One node of a compiled provision tree. Every element that is set must match the request; empty
/// lists and null values match anything. <see cref="Type"/> is null when the provision states none
/// (then it inherits the stance of the level above). <see cref="Path"/> is the FHIR path, for reasons.
/// </summary>
public sealed record ConsentProvision
{
    public required string Path { get; init; }
    public ProvisionType? Type { get; init; }
    public ConsentPeriod? Period { get; init; }
    public IReadOnlyList<ConsentActor> Actors { get; init; } = [];
    public IReadOnlySet<string> Actions { get; init; } = new HashSet<string>();
    public IReadOnlySet<string> Purposes { get; init; } = new HashSet<string>();
    public IReadOnlySet<string> Classes { get; init; } = new HashSet<string>();
    public IReadOnlyList<Token> Codes { get; init; } = [];
    public IReadOnlyList<Token> SecurityLabels { get; init; } = [];
    public ConsentPeriod? DataPeriod { get; init; }
    public IReadOnlyList<ConsentData> Data { get; init; } = [];
    public IReadOnlyList<ConsentProvision> Children { get; init; } = [];
}
