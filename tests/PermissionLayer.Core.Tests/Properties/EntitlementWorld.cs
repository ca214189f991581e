using PermissionLayer.Core.Entitlements;

namespace PermissionLayer.Core.Tests.Properties;

/// <summary>A membership of a patient in a set, from <see cref="Start"/> until <see cref="End"/> (exclusive; null bounds are open).</summary>
internal sealed record Membership(string Patient, DateTimeOffset? Start, DateTimeOffset? End)
{
    public bool At(DateTimeOffset at) => (Start is null || Start <= at) && (End is null || at < End);
}

/// <summary>A care team: its subject, whether it is in force, and who takes part when.</summary>
internal sealed record Team(string Subject, bool InForce, IReadOnlyList<CareTeamParticipant> Participants);

/// <summary>
/// What the patient sets and care teams hold, as their grains would answer the walk's asks at an
/// instant. <see cref="Calls"/> counts the answers given (one per grain call the server would make).
/// </summary>
internal sealed class EntitlementWorld(IReadOnlyDictionary<GrantTarget, IReadOnlyList<Membership>> sets, IReadOnlyDictionary<string, Team> teams)
{
    public int Calls { get; private set; }

    public IReadOnlyDictionary<GrantTarget, IReadOnlyList<Membership>> Sets => sets;

    public IReadOnlyDictionary<string, Team> Teams => teams;

    public bool IsMember(GrantTarget set, string patient, DateTimeOffset at) =>
        sets.TryGetValue(set, out var members) && members.Any(m => m.Patient == patient && m.At(at));

    public string? SubjectInForce(string team) => teams.TryGetValue(team, out var t) && t.InForce ? t.Subject : null;

    public string? SubjectFor(string principal, string team, DateTimeOffset at) =>
        teams.TryGetValue(team, out var t) && t.InForce && t.Participants.Any(p => p.Member == principal && p.TakesPartAt(at)) ? t.Subject : null;

    public WalkFacts Answer(PrincipalRef principal, DateTimeOffset at, WalkAsks asks, WalkFacts facts)
    {
        Calls += asks.Count;
        foreach (var ask in asks.Sets)
        {
            var members = (sets.GetValueOrDefault(ask.Set) ?? []).Where(m => m.At(at)).Select(m => m.Patient)
                .Where(p => ask.Among is null || ask.Among.Contains(p)).Distinct();
            facts = facts.WithSet(ask.Set, ask.Among, members);
        }
        foreach (var team in asks.TeamSubjects)
        {
            facts = facts.WithTeamSubject(team, SubjectInForce(team));
        }
        foreach (var team in asks.Participations)
        {
            facts = facts.WithParticipation(team, SubjectFor(principal.ToString(), team, at));
        }
        return facts;
    }
}
