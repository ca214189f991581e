using System.Collections.Immutable;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Core.Scopes;
using PermissionLayer.Grains.Abstractions.Errors;
using PermissionLayer.Grains.Abstractions.Principals;
using PermissionLayer.Grains.LocalState;
using PermissionLayer.Grains.Revisions;
using PermissionLayer.Storage.CareTeams;
using PermissionLayer.Storage.Grants;
using PermissionLayer.Storage.PractitionerRoles;

namespace PermissionLayer.Grains.Principals;

/// <inheritdoc cref="IPrincipalGrain"/>
public sealed class PrincipalGrain(
    GrantStore store, CareTeamStore careTeams, PractitionerRoleStore roles, TimeProvider time, RevisionClock revisions,
    IResourceTypeCatalog resourceTypes, GrainReferences references, PublishedStates published)
    : Grain, IPrincipalGrain
{
    private StatePublisher<PrincipalState>? _publisher;
    private PrincipalState _state = PrincipalState.Empty("");

    private StatePublisher<PrincipalState> Publisher => _publisher ??= new(published.Principals, this, Key);

    private string Key => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _state = PrincipalState.Empty(Key);
        // The three reads are independent: one round trip's wait instead of three on the cold path.
        var teams = StorageGuard.Run(() => careTeams.TeamsOfAsync(Key, cancellationToken));
        await Task.WhenAll(LoadGrantsAsync(cancellationToken), teams);
        _state = _state with { CareTeams = [.. await teams] };
        if (!cancellationToken.IsCancellationRequested) // a timed-out activation is being abandoned
        {
            Publisher.Publish(_state);
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Publisher.Withdraw();
        return Task.CompletedTask;
    }

    Task IPrincipalGrain.Reload() => Publisher.ReloadAsync(() => LoadGrantsAsync(CancellationToken.None), () => _state);

    Task<PrincipalMemberships> IPrincipalGrain.Memberships() =>
        Task.FromResult(new PrincipalMemberships(
            [.. _state.CareTeams.Order(StringComparer.Ordinal)],
            [.. _state.Roles.Select(r => new OrganizationRole(r.Id, r.Organization, r.Active, r.PeriodStart, r.PeriodEnd))]));

    /// <summary>Grants and roles: what imports (Lists, PractitionerRoles) change besides admin writes.</summary>
    private async Task LoadGrantsAsync(CancellationToken cancellationToken)
    {
        var roleRows = StorageGuard.Run(() => roles.RolesOfAsync(Key, cancellationToken));
        var grants = StorageGuard.Run(() => store.LoadForPrincipalAsync(Key, cancellationToken));
        await Task.WhenAll(roleRows, grants);
        var book = new GrantBook([.. await grants]);
        var revision = Math.Max(_state.Revision, book.All.Count == 0 ? 0 : book.All.Max(g => g.Revision));
        _state = _state with { Grants = book, Roles = [.. await roleRows], Revision = revision };
        revisions.Observe(revision);
    }

    Task<GrantView> IPrincipalGrain.CreateGrant(GrantDraft draft)
    {
        var grant = draft.ToGrant(Key, time.GetUtcNow(), resourceTypes.IsKnown);
        // Commit first, then update memory: an acknowledged grant is in PostgreSQL.
        return Publisher.CommitAsync(async () =>
        {
            var stored = await StorageGuard.Run(() => store.CreateAsync(grant, time.GetUtcNow(), draft.ExpectedRevision));
            Applied(_state.Grants.With(stored), stored.Revision);
            return stored.ToView();
        }, () => _state);
    }

    async Task<long> IPrincipalGrain.RevokeGrant(Guid grantId, string actor, string reason, long? expectedRevision)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new EntitlementValidationException("reason is required to revoke a grant");
        }
        return await Publisher.CommitAsync(async () =>
        {
            var revoked = await StorageGuard.Run(() => store.RevokeAsync(grantId, Key, actor, reason.Trim(), time.GetUtcNow(), expectedRevision))
                ?? throw new EntitlementNotFoundException($"{Key} has no active grant {grantId}");
            Applied(_state.Grants.Replacing(revoked), revoked.Revision);
            return revoked.Revision;
        }, () => _state);
    }

    Task<IReadOnlyList<GrantView>> IPrincipalGrain.GetGrants() =>
        Task.FromResult<IReadOnlyList<GrantView>>(_state.Grants.All.Select(g => g.ToView()).ToList());

    // The state is immutable: a care-team notification interleaving at an await of a decision below
    // swaps it, and the decision keeps the snapshot it started with.
    Task<AccessAnswer> IPrincipalGrain.Authorize(AccessQuestion question) => _state.AuthorizeAsync(question, references);

    Task<ReachableSet> IPrincipalGrain.Reach(DataActions actions, string? resourceType, string? purpose, DateTimeOffset at) =>
        _state.ReachAsync(actions, resourceType, purpose, at, references);

    Task<RequesterProfile> IPrincipalGrain.Profile(DataActions actions, string? resourceType, string? purpose, DateTimeOffset at, IReadOnlyList<string>? patients) =>
        _state.ProfileAsync(actions, resourceType, purpose, at, patients, references);

    Task<IReadOnlyList<string>> IPrincipalGrain.CareTeamsInForce(DateTimeOffset at) => _state.CareTeamsInForceAsync(at, references);

    // The list of teams only says which teams to ask: each team decides whether the principal takes
    // part at a decision's instant, so a missed "left" grants nothing and a missed "joined" only denies.
    Task IPrincipalGrain.JoinedCareTeam(string careTeamId)
    {
        Publish(_state with { CareTeams = _state.CareTeams.Add(careTeamId) });
        return Task.CompletedTask;
    }

    Task IPrincipalGrain.LeftCareTeam(string careTeamId)
    {
        Publish(_state with { CareTeams = _state.CareTeams.Remove(careTeamId) });
        return Task.CompletedTask;
    }

    /// <summary>A committed grant change: the new book becomes the state every reader sees before the change is acknowledged.</summary>
    private void Applied(GrantBook grants, long revision)
    {
        Publish(_state with { Grants = grants, Revision = Math.Max(_state.Revision, revision) });
        revisions.Observe(revision);
    }

    private void Publish(PrincipalState state)
    {
        _state = state;
        Publisher.Publish(state);
    }
}
