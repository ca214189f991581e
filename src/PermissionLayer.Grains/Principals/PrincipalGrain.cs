using System.Collections.Immutable;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Core.Scopes;
using PermissionLayer.Grains.Abstractions.Errors;
using PermissionLayer.Grains.Abstractions.Principals;
using PermissionLayer.Grains.Revisions;
using PermissionLayer.Storage.CareTeams;
using PermissionLayer.Storage.Grants;
using PermissionLayer.Storage.PractitionerRoles;

namespace PermissionLayer.Grains.Principals;

/// <inheritdoc cref="IPrincipalGrain"/>
public sealed class PrincipalGrain(
    GrantStore store, CareTeamStore careTeams, PractitionerRoleStore roles, TimeProvider time, RevisionClock revisions,
    IResourceTypeCatalog resourceTypes, GrainReferences references)
    : Grain, IPrincipalGrain
{
    private GrantBook _grants = GrantBook.Empty;
    private IReadOnlyList<PractitionerRoleRow> _roles = [];
    private ImmutableHashSet<string> _careTeams = [];
    private long _revision;

    private string Key => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The three reads are independent: one round trip's wait instead of three on the cold path.
        var teams = StorageGuard.Run(() => careTeams.TeamsOfAsync(Key, cancellationToken));
        await Task.WhenAll(LoadGrantsAsync(cancellationToken), teams);
        _careTeams = [.. await teams];
    }

    Task IPrincipalGrain.Reload() => this.ReloadOrDeactivateAsync(() => LoadGrantsAsync(CancellationToken.None));

    Task<PrincipalMemberships> IPrincipalGrain.Memberships() =>
        Task.FromResult(new PrincipalMemberships(
            [.. _careTeams.Order(StringComparer.Ordinal)],
            [.. _roles.Select(r => new OrganizationRole(r.Id, r.Organization, r.Active, r.PeriodStart, r.PeriodEnd))]));

    /// <summary>Grants and roles: what imports (Lists, PractitionerRoles) change besides admin writes.</summary>
    private async Task LoadGrantsAsync(CancellationToken cancellationToken)
    {
        var roleRows = StorageGuard.Run(() => roles.RolesOfAsync(Key, cancellationToken));
        var grants = StorageGuard.Run(() => store.LoadForPrincipalAsync(Key, cancellationToken));
        await Task.WhenAll(roleRows, grants);
        _roles = [.. await roleRows];
        _grants = new GrantBook([.. await grants]);
        _revision = Math.Max(_revision, _grants.All.Count == 0 ? 0 : _grants.All.Max(g => g.Revision));
        revisions.Observe(_revision);
    }

    async Task<GrantView> IPrincipalGrain.CreateGrant(GrantDraft draft)
    {
        var grant = draft.ToGrant(Key, time.GetUtcNow(), resourceTypes.IsKnown);
        // Commit first, then update memory: an acknowledged grant is in PostgreSQL.
        var stored = await StorageGuard.Run(() => store.CreateAsync(grant, time.GetUtcNow(), draft.ExpectedRevision));
        _grants = _grants.With(stored);
        Applied(stored.Revision);
        return stored.ToView();
    }

    async Task<long> IPrincipalGrain.RevokeGrant(Guid grantId, string actor, string reason, long? expectedRevision)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new EntitlementValidationException("reason is required to revoke a grant");
        }
        var revoked = await StorageGuard.Run(() => store.RevokeAsync(grantId, Key, actor, reason.Trim(), time.GetUtcNow(), expectedRevision))
            ?? throw new EntitlementNotFoundException($"{Key} has no active grant {grantId}");
        _grants = _grants.Replacing(revoked);
        Applied(revoked.Revision);
        return revoked.Revision;
    }

    Task<IReadOnlyList<GrantView>> IPrincipalGrain.GetGrants() =>
        Task.FromResult<IReadOnlyList<GrantView>>(_grants.All.Select(g => g.ToView()).ToList());

    async Task<AccessAnswer> IPrincipalGrain.Authorize(AccessQuestion question)
    {
        if (!ActionLetters.TryParse(question.Actions, out var required))
        {
            throw new EntitlementValidationException($"actions '{question.Actions}' must be an in-order subset of 'cruds'");
        }
        // Snapshots: a care-team notification may interleave at an await below.
        var profile = question.WithProfile
            ? ProfileOf(required, question.ResourceType == "*" ? null : question.ResourceType, question.Purpose, question.At)
            : null;
        if (question.Patients.Count == 0)
        {
            return NonPatientData(required, question) with { Profile = profile };
        }
        var patients = await new PatientReach(Key, _grants, _careTeams, required, question, references).ExplainAsync();
        return new AccessAnswer(patients.All(p => p.Permitted), patients, _revision, profile);
    }

    Task<ReachableSet> IPrincipalGrain.Reach(string actions, string? resourceType, string? purpose, DateTimeOffset at)
    {
        if (!ActionLetters.TryParse(actions, out var required))
        {
            throw new EntitlementValidationException($"actions '{actions}' must be an in-order subset of 'cruds'");
        }
        return new ReachCollector(Key, _grants.All, _careTeams, required, resourceType, purpose, at, references).CollectAsync();
    }

    Task<RequesterProfile> IPrincipalGrain.Profile(string actions, string? resourceType, string? purpose, DateTimeOffset at)
    {
        if (!ActionLetters.TryParse(actions, out var required))
        {
            throw new EntitlementValidationException($"actions '{actions}' must be an in-order subset of 'cruds'");
        }
        return Task.FromResult(ProfileOf(required, resourceType, purpose, at));
    }

    private RequesterProfile ProfileOf(DataActions required, string? resourceType, string? purpose, DateTimeOffset at)
    {
        var covering = _grants.WithPrivacyAttributes.Where(g => g.IsEffectiveAt(at) && g.Covers(required, resourceType, purpose)).ToList();
        var organizations = _roles.Where(r => r.InForceAt(at) && r.Organization is not null).Select(r => r.Organization!).Distinct().ToList();
        return RequesterProfiles.From(covering, _careTeams) with { Organizations = organizations };
    }

    /// <summary>
    /// Data in no patient's compartment (a Practitioner, an Organization, a Medication): the principal
    /// must hold some effective grant for the actions, or be a patient user or a care-team member.
    /// </summary>
    private AccessAnswer NonPatientData(DataActions required, AccessQuestion question)
    {
        var grant = _grants.All.FirstOrDefault(g => g.IsEffectiveAt(question.At) && g.Covers(required, question.ResourceType, question.Purpose));
        var permitted = grant is not null || Key.StartsWith("Patient/", StringComparison.Ordinal)
            || (_careTeams.Count > 0 && (required & ~CareTeamEntitlement.ParticipantActions) == 0);
        var explanation = grant is not null
            ? $"not patient data; {grant.Describe()} entitles {Key} to '{required.ToLetters()}'"
            : permitted
                ? $"not patient data; {Key} is a patient user or care-team member"
                : $"not patient data, and {Key} holds no effective grant for '{required.ToLetters()}'";
        return new AccessAnswer(permitted, [new PatientAccess("", permitted ? grant?.Id ?? Guid.Empty : null, explanation)], _revision);
    }

    Task IPrincipalGrain.JoinedCareTeam(string careTeamId)
    {
        _careTeams = _careTeams.Add(careTeamId);
        return Task.CompletedTask;
    }

    Task IPrincipalGrain.LeftCareTeam(string careTeamId)
    {
        _careTeams = _careTeams.Remove(careTeamId);
        return Task.CompletedTask;
    }

    private void Applied(long revision)
    {
        _revision = Math.Max(_revision, revision);
        revisions.Observe(revision);
    }

}
