using Orleans.Concurrency;

namespace PermissionLayer.Grains.Abstractions.CareTeams;

/// <summary>
/// One FHIR CareTeam (keyed by its id). While it is active and in its period, each participant whose
/// own period runs is entitled to its subject patient, and so is any principal with a grant that
/// targets it. The team's own state decides who takes part: a principal's list of its teams only
/// says which teams to ask.
/// </summary>
public interface ICareTeamGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates or replaces the team; returns the change's revision. The change names the team's former
    /// and new members, so their principals' lists of teams reload with it on every silo.
    /// </summary>
    Task<long> Put(CareTeamDefinition definition);

    /// <summary>Re-reads the team from PostgreSQL after a change committed elsewhere (an import, which commits many entities in one transaction).</summary>
    Task Reload();

    /// <summary>
    /// The subject patient when the team is in force at the instant; otherwise null. For grants that
    /// target the team (their holder need not take part).
    /// </summary>
    [ReadOnly]
    Task<string?> SubjectInForce(DateTimeOffset at);

    /// <summary>
    /// The subject patient when the team is in force at the instant and <paramref name="principal"/>
    /// takes part in it then (one of their participations runs); otherwise null.
    /// </summary>
    [ReadOnly]
    Task<string?> SubjectFor(string principal, DateTimeOffset at);

    [ReadOnly]
    Task<CareTeamDefinition?> Get();
}
