using Orleans.Concurrency;

namespace PermissionLayer.Grains.Abstractions.CareTeams;

/// <summary>
/// One FHIR CareTeam (keyed by its id). While it is active and in its period, each participant is
/// entitled to its subject patient, and so is any principal with a grant that targets it.
/// </summary>
public interface ICareTeamGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates or replaces the team. Participants who join or leave are told before this returns, so
    /// the next decision sees the change.
    /// </summary>
    Task<long> Put(CareTeamDefinition definition);

    /// <summary>
    /// Re-reads the team from PostgreSQL after a change committed elsewhere (an import, which commits
    /// many entities in one transaction), telling joiners and leavers like <see cref="Put"/> does.
    /// </summary>
    Task Reload();

    /// <summary>The subject patient when the team is in force at the instant; otherwise null.</summary>
    [ReadOnly]
    Task<string?> SubjectInForce(DateTimeOffset at);

    [ReadOnly]
    Task<CareTeamDefinition?> Get();
}
