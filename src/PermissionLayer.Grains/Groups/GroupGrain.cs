using PermissionLayer.Grains.Abstractions.Groups;
using PermissionLayer.Grains.LocalState;
using PermissionLayer.Storage.Changes;
using PermissionLayer.Storage.Groups;

namespace PermissionLayer.Grains.Groups;

/// <inheritdoc cref="IGroupGrain"/>
/// <remarks>Loads, changes and reloads its <see cref="GroupMembers"/> through <see cref="GrainLifecycle{TSnapshot}"/> (asked by calls only, never published).</remarks>
public sealed class GroupGrain(GroupStore store, TimeProvider time, LifecycleServices lifecycles) : Grain, IGroupGrain, IIncomingGrainCallFilter
{
    private GrainLifecycle<GroupMembers>? _lifecycle;

    private string GroupId => this.GetPrimaryKeyString();

    private GrainLifecycle<GroupMembers> Lifecycle => _lifecycle ??= new(
        this, ChangedEntity.SetOf(GroupId), lifecycles, published: null, GroupMembers.None,
        async cancellationToken => GroupMembers.Of(await StorageGuard.Run(() => store.LoadAsync(GroupId, cancellationToken))));

    public override Task OnActivateAsync(CancellationToken cancellationToken) => Lifecycle.ActivateAsync(cancellationToken);

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Lifecycle.Deactivate();
        return Task.CompletedTask;
    }

    Task IIncomingGrainCallFilter.Invoke(IIncomingGrainCallContext context) => Lifecycle.InvokeAsync(context);

    Task IGroupGrain.Reload() => Lifecycle.ReloadAfterAsync();

    Task<long> IGroupGrain.ChangeMembers(GroupMembersChange change)
    {
        GroupMembersValidation.Validate(change);
        var upserts = change.Upserts.Select(m => new GroupMembership(m.PatientId, m.PeriodStart, m.PeriodEnd)).ToList();
        return Lifecycle.ChangeAsync(async members =>
        {
            var revision = await StorageGuard.Run(() =>
                store.ChangeAsync(GroupId, upserts, change.Removals, change.Actor, change.Reason.Trim(), time.GetUtcNow(), change.ExpectedRevision));
            return new AppliedChange<GroupMembers, long>(members.Changed(upserts, change.Removals), revision, revision);
        });
    }

    Task<IReadOnlyList<string>> IGroupGrain.MembersAmong(IReadOnlyList<string> patients, DateTimeOffset at) =>
        Task.FromResult(Lifecycle.Snapshot.Among(patients, at));

    Task<IReadOnlyList<string>> IGroupGrain.Members(DateTimeOffset at) => Task.FromResult(Lifecycle.Snapshot.At(at));
}
