using PermissionLayer.Core.Requests;

namespace PermissionLayer.Core.Consents;

/// <summary>
/// What a consent is asked about. <see cref="Actors"/> is the requester's actor set (user reference,
/// their organizations, care teams and groups, and the client app as <c>Device/&lt;client_id&gt;</c>).
/// For a search (<see cref="DataUnknown"/>) the data's codes, labels, date and identity are not known:
/// provisions that depend on them are resolved conservatively (see <see cref="ConsentEvaluator"/>).
/// <see cref="FactsComplete"/> says <see cref="Codes"/> and <see cref="Labels"/> are all the data
/// carries (<see cref="ResourceFacts.Complete"/> of every state they come from); otherwise a code or
/// label missing from them may still be on the data.
/// </summary>
public sealed record ConsentRequest
{
    public required IReadOnlySet<string> Actors { get; init; }
    public required IReadOnlySet<string> Actions { get; init; }
    public required string Purpose { get; init; }
    public required string ResourceType { get; init; }
    /// <summary>Types of the resources the data carries inside it (contained, Bundle entries): a class matches them too.</summary>
    public IReadOnlyList<string> CarriedTypes { get; init; } = [];
    public IReadOnlyList<Token> Codes { get; init; } = [];
    public IReadOnlyList<Token> Labels { get; init; } = [];
    public DateTimeOffset? RecordedAt { get; init; }
    public string? Reference { get; init; }
    public required DateTimeOffset At { get; init; }
    public bool DataUnknown { get; init; }
    public bool FactsComplete { get; init; }
}
