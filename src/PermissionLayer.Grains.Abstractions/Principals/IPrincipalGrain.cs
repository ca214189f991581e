using Orleans.Concurrency;
using PermissionLayer.Core.Entitlements;

namespace PermissionLayer.Grains.Abstractions.Principals;

/// <summary>
/// The entitlements of one principal (a user such as <c>Practitioner/a</c>, or a client app as
/// <c>Client/&lt;client_id&gt;</c>), keyed by that reference. Loads its grants on activation; every
/// change to them goes through here, committed to PostgreSQL before it is acknowledged.
/// </summary>
public interface IPrincipalGrain : IGrainWithStringKey
{
    Task<GrantView> CreateGrant(GrantDraft draft);

    /// <summary>
    /// Revokes one of this principal's grants; returns the change's revision. With
    /// <paramref name="expectedRevision"/>, the principal's last change must be that revision.
    /// </summary>
    Task<long> RevokeGrant(Guid grantId, string actor, string reason, long? expectedRevision = null);

    [ReadOnly]
    Task<IReadOnlyList<GrantView>> GetGrants();

    /// <summary>The care teams and organization roles the principal has (admin reads).</summary>
    [ReadOnly]
    Task<PrincipalMemberships> Memberships();

    /// <summary>
    /// Re-reads grants, roles and care teams from PostgreSQL after a change committed elsewhere (an
    /// imported List or PractitionerRole, a batch, a care team naming the principal).
    /// </summary>
    Task Reload();

    /// <summary>Every patient this principal reaches with the actions at the instant.</summary>
    [ReadOnly]
    Task<ReachableSet> Reach(DataActions actions, string? resourceType, string? purpose, DateTimeOffset at);

    /// <summary>
    /// Clearance and break-glass permission about the patients (from the grants covering the actions at
    /// the instant that reach them; null: every patient), organizations, and the care teams the
    /// principal takes part in then (<see cref="CareTeamsInForce"/>).
    /// </summary>
    [ReadOnly]
    Task<RequesterProfile> Profile(DataActions actions, string? resourceType, string? purpose, DateTimeOffset at, IReadOnlyList<string>? patients);

    /// <summary>
    /// The care teams (ids) the principal takes part in at the instant: each team is active, in its
    /// period, and one of the principal's participations runs then, as the team's own grain answers.
    /// These, as <c>CareTeam/&lt;id&gt;</c>, are the principal's care-team consent actors.
    /// </summary>
    [ReadOnly]
    Task<IReadOnlyList<string>> CareTeamsInForce(DateTimeOffset at);

    /// <summary>May this principal do the actions on each of the patients, and through which grant?</summary>
    [ReadOnly]
    Task<AccessAnswer> Authorize(AccessQuestion question);
}
