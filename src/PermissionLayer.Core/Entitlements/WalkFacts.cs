using System.Collections.Immutable;

namespace PermissionLayer.Core.Entitlements;

/// <summary>
/// What the grains answered for one walk, at its instant: members of patient sets, the subject of
/// each care team a grant targets (null: the team is not in force), and the subject of each team the
/// principal takes part in (null: not then). Immutable; a fact not asked is unknown, and the walk
/// reads an unknown as "does not reach" — a missing answer can only deny.
/// </summary>
public sealed record WalkFacts
{
    public static readonly WalkFacts None = new();

    public ImmutableDictionary<GrantTarget, SetFact> Sets { get; init; } = ImmutableDictionary<GrantTarget, SetFact>.Empty;
    public ImmutableDictionary<string, string?> TeamSubjects { get; init; } = ImmutableDictionary.Create<string, string?>(StringComparer.Ordinal);
    public ImmutableDictionary<string, string?> Participations { get; init; } = ImmutableDictionary.Create<string, string?>(StringComparer.Ordinal);

    /// <summary>Whether the patient is a member of the set; null when not asked.</summary>
    public bool? Member(GrantTarget set, string patient) => Sets.TryGetValue(set, out var fact) ? fact.Has(patient) : null;

    public WalkFacts WithSet(GrantTarget set, IReadOnlyList<string>? among, IEnumerable<string> members)
    {
        var fact = new SetFact(among?.ToHashSet(StringComparer.Ordinal), members.ToHashSet(StringComparer.Ordinal));
        return this with { Sets = Sets.SetItem(set, Sets.TryGetValue(set, out var known) ? known.Merge(fact) : fact) };
    }

    public WalkFacts WithTeamSubject(string team, string? subject) => this with { TeamSubjects = TeamSubjects.SetItem(team, subject) };

    public WalkFacts WithParticipation(string team, string? subject) => this with { Participations = Participations.SetItem(team, subject) };

    /// <summary>Whether every one of the asks is already answered (a walk that asked it again would not progress).</summary>
    public bool Answers(WalkAsks asks) =>
        asks.Sets.All(a => Sets.TryGetValue(a.Set, out var fact) && fact.Covers(a.Among))
        && asks.TeamSubjects.All(TeamSubjects.ContainsKey)
        && asks.Participations.All(Participations.ContainsKey);
}
