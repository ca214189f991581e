using PermissionLayer.Core.Entitlements;
using PermissionLayer.Core.Scopes;
using PermissionLayer.Grains.Abstractions.Errors;
using PermissionLayer.Grains.Abstractions.Principals;
using PermissionLayer.Grains.LocalState;
using PermissionLayer.Storage.CareTeams;
using PermissionLayer.Storage.Changes;
using PermissionLayer.Storage.Grants;
using PermissionLayer.Storage.PractitionerRoles;

namespace PermissionLayer.Grains.Principals;

/// <inheritdoc cref="IPrincipalGrain"/>
/// <remarks>
/// Loads, changes and reloads its <see cref="PrincipalState"/> through <see cref="GrainLifecycle{TSnapshot}"/>.
/// An activation that holds no entitlement ends after its <see cref="EmptyPrincipalLifetime"/>.
/// </remarks>
public sealed class PrincipalGrain(
    GrantStore store, CareTeamStore careTeams, PractitionerRoleStore roles, TimeProvider time,
    IResourceTypeCatalog resourceTypes, GrainReferences references, LifecycleServices lifecycles, EmptyPrincipalLifetime emptyLifetime)
    : Grain, IPrincipalGrain, IIncomingGrainCallFilter
{
    private GrainLifecycle<PrincipalState>? _lifecycle;

    private string Key => this.GetPrimaryKeyString();

    private GrainLifecycle<PrincipalState> Lifecycle => _lifecycle ??= new(
        this, ChangedEntity.PrincipalOf(Key), lifecycles, lifecycles.Published.Principals, PrincipalState.Empty(Key), LoadAsync);

    private PrincipalState State => Lifecycle.Snapshot;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await Lifecycle.ActivateAsync(cancellationToken);
        if (State.IsEmpty)
        {
            // A timer that does not keep the activation alive, checked on the activation's own
            // scheduler (not interleaved with a call, so never in the middle of a change).
            this.RegisterGrainTimer(EndIfStillEmptyAsync, new GrainTimerCreationOptions(emptyLifetime.Value, emptyLifetime.Value) { KeepAlive = false });
        }
    }

    /// <summary>
    /// Ends the activation if it still holds nothing. Safe at any moment: the published state goes
    /// with it, so the next decision calls the grain, whose new activation loads from PostgreSQL
    /// (no entitlement: denied; a grant committed meanwhile: seen).
    /// </summary>
    private Task EndIfStillEmptyAsync(CancellationToken cancellationToken)
    {
        if (State.IsEmpty)
        {
            DeactivateOnIdle();
        }
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Lifecycle.Deactivate();
        return Task.CompletedTask;
    }

    Task IIncomingGrainCallFilter.Invoke(IIncomingGrainCallContext context) => Lifecycle.InvokeAsync(context);

    Task IPrincipalGrain.Reload() => Lifecycle.ReloadAfterAsync();

    Task<PrincipalMemberships> IPrincipalGrain.Memberships() =>
        Task.FromResult(new PrincipalMemberships(
            [.. State.CareTeams.Order(StringComparer.Ordinal)],
            [.. State.Roles.Select(r => new OrganizationRole(r.Id, r.Organization, r.Active, r.PeriodStart, r.PeriodEnd))]));

    /// <summary>Grants, roles and the care teams naming the principal; the three reads are independent (one round trip's wait).</summary>
    private async Task<PrincipalState> LoadAsync(CancellationToken cancellationToken)
    {
        var teams = StorageGuard.Run(() => careTeams.TeamsOfAsync(Key, cancellationToken));
        var roleRows = StorageGuard.Run(() => roles.RolesOfAsync(Key, cancellationToken));
        var grants = StorageGuard.Run(() => store.LoadForPrincipalAsync(Key, cancellationToken));
        await Task.WhenAll(teams, roleRows, grants);
        var book = new GrantBook([.. await grants]);
        var revision = book.All.Count == 0 ? 0 : book.All.Max(g => g.Revision);
        return PrincipalState.Empty(Key) with { Grants = book, Roles = [.. await roleRows], CareTeams = [.. await teams], Revision = revision };
    }

    Task<GrantView> IPrincipalGrain.CreateGrant(GrantDraft draft)
    {
        var grant = draft.ToGrant(Key, time.GetUtcNow(), resourceTypes.IsKnown);
        return Lifecycle.ChangeAsync(async state =>
        {
            var stored = await StorageGuard.Run(() => store.CreateAsync(grant, time.GetUtcNow(), draft.ExpectedRevision));
            return new AppliedChange<PrincipalState, GrantView>(Applied(state, state.Grants.With(stored), stored.Revision), stored.ToView(), stored.Revision);
        });
    }

    Task<long> IPrincipalGrain.RevokeGrant(Guid grantId, string actor, string reason, long? expectedRevision)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new EntitlementValidationException("reason is required to revoke a grant");
        }
        return Lifecycle.ChangeAsync(async state =>
        {
            var revoked = await StorageGuard.Run(() => store.RevokeAsync(grantId, Key, actor, reason.Trim(), time.GetUtcNow(), expectedRevision))
                ?? throw new EntitlementNotFoundException($"{Key} has no active grant {grantId}");
            return new AppliedChange<PrincipalState, long>(Applied(state, state.Grants.Replacing(revoked), revoked.Revision), revoked.Revision, revoked.Revision);
        });
    }

    Task<IReadOnlyList<GrantView>> IPrincipalGrain.GetGrants() =>
        Task.FromResult<IReadOnlyList<GrantView>>(State.Grants.All.Select(g => g.ToView()).ToList());

    // The state is immutable: a reload interleaving at an await of a decision below swaps it, and the
    // decision keeps the snapshot it started with.
    Task<AccessAnswer> IPrincipalGrain.Authorize(AccessQuestion question) => State.AuthorizeAsync(question, references);

    Task<ReachableSet> IPrincipalGrain.Reach(DataActions actions, string? resourceType, string? purpose, DateTimeOffset at) =>
        State.ReachAsync(actions, resourceType, purpose, at, references);

    Task<RequesterProfile> IPrincipalGrain.Profile(DataActions actions, string? resourceType, string? purpose, DateTimeOffset at, IReadOnlyList<string>? patients) =>
        State.ProfileAsync(actions, resourceType, purpose, at, patients, references);

    Task<IReadOnlyList<string>> IPrincipalGrain.CareTeamsInForce(DateTimeOffset at) => State.CareTeamsInForceAsync(at, references);

    /// <summary>A committed grant change: the snapshot that holds it.</summary>
    private static PrincipalState Applied(PrincipalState state, GrantBook grants, long revision) =>
        state with { Grants = grants, Revision = Math.Max(state.Revision, revision) };
}
