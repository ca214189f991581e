using PermissionLayer.Core.References;
using PermissionLayer.Grains.Abstractions.Errors;
using PermissionLayer.Grains.Abstractions.Groups;
using PermissionLayer.Grains.Revisions;
using PermissionLayer.Storage.Groups;

namespace PermissionLayer.Grains.Groups;

/// <inheritdoc cref="IGroupGrain"/>
public sealed class GroupGrain(GroupStore store, TimeProvider time, RevisionClock revisions) : Grain, IGroupGrain
{
    private Dictionary<string, GroupMembership> _members = new(StringComparer.Ordinal);

    private string GroupId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    Task IGroupGrain.Reload() => this.ReloadOrDeactivateAsync(() => LoadAsync(CancellationToken.None));

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var loaded = await StorageGuard.Run(() => store.LoadAsync(GroupId, cancellationToken));
        _members = loaded.ToDictionary(m => m.PatientId, StringComparer.Ordinal);
    }

    async Task<long> IGroupGrain.ChangeMembers(GroupMembersChange change)
    {
        GroupMembersValidation.Validate(change);
        var upserts = change.Upserts.Select(m => new GroupMembership(m.PatientId, m.PeriodStart, m.PeriodEnd)).ToList();
        long revision;
        try
        {
            revision = await StorageGuard.Run(() =>
                store.ChangeAsync(GroupId, upserts, change.Removals, change.Actor, change.Reason.Trim(), time.GetUtcNow(), change.ExpectedRevision));
        }
        catch (EntitlementStoreUnavailableException)
        {
            // The change may have committed with only its answer lost: this memory can no longer be
            // trusted (it may still hold a removed member), so the activation goes; the next call loads.
            DeactivateOnIdle();
            throw;
        }
        foreach (var membership in upserts)
        {
            _members[membership.PatientId] = membership;
        }
        foreach (var removed in change.Removals)
        {
            _members.Remove(removed);
        }
        revisions.Observe(revision);
        return revision;
    }

    Task<IReadOnlyList<string>> IGroupGrain.MembersAmong(IReadOnlyList<string> patients, DateTimeOffset at) =>
        Task.FromResult<IReadOnlyList<string>>(
            patients.Where(p => _members.TryGetValue(p, out var m) && m.IsEffectiveAt(at)).ToList());

    Task<IReadOnlyList<string>> IGroupGrain.Members(DateTimeOffset at) =>
        Task.FromResult<IReadOnlyList<string>>(_members.Values.Where(m => m.IsEffectiveAt(at)).Select(m => m.PatientId).ToList());
}
