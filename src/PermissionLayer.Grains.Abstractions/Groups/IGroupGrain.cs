using Orleans.Concurrency;

namespace PermissionLayer.Grains.Abstractions.Groups;

/// <summary>
/// The members of one patient set — a FHIR Group or an Organization's patients, keyed as
/// <see cref="PatientSets"/> says — with their periods. Grants that target
/// the group ask it who is in, so a membership change is seen by the next decision with no cache
/// to expire.
/// </summary>
public interface IGroupGrain : IGrainWithStringKey
{
    /// <summary>Adds or re-periods members and removes others, in one commit; returns its revision.</summary>
    Task<long> ChangeMembers(GroupMembersChange change);

    /// <summary>Re-reads the members from PostgreSQL after a change committed elsewhere (an import).</summary>
    Task Reload();

    /// <summary>Which of these patients are members at the instant.</summary>
    [ReadOnly]
    Task<IReadOnlyList<string>> MembersAmong(IReadOnlyList<string> patients, DateTimeOffset at);

    /// <summary>All members at the instant.</summary>
    [ReadOnly]
    Task<IReadOnlyList<string>> Members(DateTimeOffset at);
}
