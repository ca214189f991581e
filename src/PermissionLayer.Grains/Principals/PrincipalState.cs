using System.Collections.Immutable;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Grains.Abstractions.Errors;
using PermissionLayer.Grains.Abstractions.Principals;
using PermissionLayer.Storage.PractitionerRoles;

namespace PermissionLayer.Grains.Principals;

/// <summary>
/// What a principal's activation holds, immutable, and the questions answered from it. The grain
/// answers its calls from its current state; the decision path on the same silo reads the published
/// state (<see cref="LocalState.ActivationStates{TState}"/>) and asks it the same questions directly.
/// </summary>
internal sealed record PrincipalState(
    string Key, GrantBook Grants, IReadOnlyList<PractitionerRoleRow> Roles, ImmutableHashSet<string> CareTeams, long Revision)
{
    public static PrincipalState Empty(string key) => new(key, GrantBook.Empty, [], [], 0);

    /// <summary>No grant (in force or not), role or care team: nothing but a deny to answer from.</summary>
    public bool IsEmpty => Grants.All.Count == 0 && Roles.Count == 0 && CareTeams.IsEmpty;

    /// <summary>
    /// The entitlement walk's view of this state. Built per question, not cached in a field: a
    /// <c>with</c> copy (a new grant book) would carry the cached view of the old grants along.
    /// </summary>
    public EntitlementSnapshot Entitlements => new(PrincipalRef.FromKey(Key), Grants, CareTeams);

    /// <summary>May this principal do the actions on each of the question's patients, and through which grant?</summary>
    public async Task<AccessAnswer> AuthorizeAsync(AccessQuestion question, GrainReferences references)
    {
        var walk = await WalkAsync(new WalkQuestion(
            Required(question.Actions), question.ResourceType, question.Purpose, question.At, question.Patients, Access: true, Profile: question.WithProfile), references);
        var answer = new AccessAnswer(walk.Permitted, [.. walk.Patients.Select(p => new PatientAccess(p.Patient, p.GrantId, p.Explanation))], Revision);
        return question.WithProfile ? answer with { Profile = ProfileOf(walk, question.At) } : answer;
    }

    /// <summary>Every patient this principal reaches with the actions at the instant.</summary>
    public async Task<ReachableSet> ReachAsync(DataActions actions, string? resourceType, string? purpose, DateTimeOffset at, GrainReferences references)
    {
        var reach = (await WalkAsync(new WalkQuestion(Required(actions), resourceType, purpose, at, null), references)).Reach!;
        return reach.AllPatients ? ReachableSet.Everyone : new ReachableSet(false, reach.Patients, reach.GrantingSets);
    }

    /// <summary>
    /// Clearance and break-glass permission about <paramref name="patients"/> (from the grants covering the
    /// actions at the instant that reach them; null: every patient), organizations, and the care teams
    /// the principal takes part in then, as each team answers (consent actors: a team that is inactive,
    /// out of its period, or that the principal has left or not yet joined is not one).
    /// </summary>
    public async Task<RequesterProfile> ProfileAsync(
        DataActions actions, string? resourceType, string? purpose, DateTimeOffset at, IReadOnlyList<string>? patients, GrainReferences references) =>
        ProfileOf(await WalkAsync(new WalkQuestion(Required(actions), resourceType, purpose, at, patients, Access: false, Profile: true), references), at);

    /// <summary>
    /// The care teams the principal takes part in at the instant (team active, in its period, and one
    /// of the principal's participations running), as each team answers; in order.
    /// </summary>
    public async Task<IReadOnlyList<string>> CareTeamsInForceAsync(DateTimeOffset at, GrainReferences references) =>
        (await WalkAsync(new WalkQuestion(DataActions.Read, null, null, at, null, Access: false, Profile: true), references)).CareTeamsInForce;

    private Task<WalkResult> WalkAsync(WalkQuestion question, GrainReferences references) =>
        EntitlementFetch.WalkAsync(Entitlements, question, references);

    private RequesterProfile ProfileOf(WalkResult walk, DateTimeOffset at)
    {
        var organizations = Roles.Where(r => r.InForceAt(at) && r.Organization is not null).Select(r => r.Organization!).Distinct().ToList();
        return new RequesterProfile(
            walk.Privacy.Clearance.Ceiling, [.. walk.Privacy.Clearance.Categories.Order(StringComparer.Ordinal)], walk.Privacy.MayBreakGlass,
            walk.CareTeamsInForce, organizations);
    }

    private static DataActions Required(DataActions actions) =>
        actions != DataActions.None && (actions & ~DataActions.All) == 0
            ? actions
            : throw new EntitlementValidationException($"actions '{actions}' must be a non-empty subset of cruds");
}
