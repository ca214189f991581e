using PermissionLayer.Grains.Abstractions.CareTeams;

namespace PermissionLayer.Grains.Principals;

/// <summary>
/// A principal's care teams at one instant, as the teams themselves answer. The principal's own list
/// (from storage at activation, then from the teams' notifications) only says which teams to ask:
/// each team confirms the principal takes part then, so a missed "left" never grants anything. Each
/// team is asked at most once per question (the entitlement walk and the requester profile share the
/// answers). Not thread-safe: one question's steps run one after another.
/// </summary>
internal sealed class CareTeamParticipation(string principal, IReadOnlyCollection<string> teams, DateTimeOffset at, GrainReferences grains)
{
    private readonly Dictionary<string, Task<string?>> _subjects = new(StringComparer.Ordinal);

    /// <summary>The teams to ask, in a stable order.</summary>
    public IReadOnlyList<string> Teams { get; } = [.. teams.Order(StringComparer.Ordinal)];

    /// <summary>The team's subject patient when the principal takes part in it at the instant; otherwise null.</summary>
    public Task<string?> SubjectOfAsync(string team)
    {
        if (!_subjects.TryGetValue(team, out var subject))
        {
            subject = grains.Get<ICareTeamGrain>(team).SubjectFor(principal, at);
            _subjects[team] = subject;
        }
        return subject;
    }

    /// <summary>The teams the principal takes part in at the instant (asked all at once), in order.</summary>
    public async Task<IReadOnlyList<string>> InForceAsync()
    {
        var asked = Teams.Select(team => (Team: team, Subject: SubjectOfAsync(team))).ToList();
        await Task.WhenAll(asked.Select(a => a.Subject));
        return [.. asked.Where(a => a.Subject.Result is not null).Select(a => a.Team)];
    }

    /// <summary>Whether the principal takes part in any team at the instant.</summary>
    public async Task<bool> AnyInForceAsync() => (await InForceAsync()).Count > 0;
}
