using PermissionLayer.Core.Requests;
using PermissionLayer.Core.Scopes;
using PermissionLayer.Grains.Abstractions.Errors;
using PermissionLayer.Grains.Abstractions.Groups;
using PermissionLayer.Grains.Abstractions.Principals;
using PermissionLayer.Grains.Groups;
using PermissionLayer.Grains.Principals;
using PermissionLayer.Grains.Revisions;
using PermissionLayer.Storage.Batches;
using PermissionLayer.Storage.Groups;

namespace PermissionLayer.Grains.Batches;

/// <summary>One change of an admin batch, as the owning grain would receive it.</summary>
public abstract record AdminBatchItem;

public sealed record CreateGrantItem(string Principal, GrantDraft Draft) : AdminBatchItem;

public sealed record RevokeGrantItem(string Principal, Guid GrantId, string Actor, string Reason, long? ExpectedRevision) : AdminBatchItem;

public sealed record GroupMembersItem(string GroupKey, GroupMembersChange Change) : AdminBatchItem;

/// <summary>
/// Several admin changes that commit whole or not at all. Each is validated by the same rules its
/// grain applies; all are written in one PostgreSQL transaction; then every touched grain re-reads its
/// facts before the batch is acknowledged, so the next decision sees all of it
/// (<see cref="GrainReloads.CommitThenReloadAsync{T}"/>; every silo also applies it from the change
/// log before reporting its revision). A batch bypasses the grains' own write path only for the
/// commit; grains stay the only holders of in-memory state.
/// </summary>
public sealed class AdminBatch(
    IGrainFactory grains, AdminBatchStore store, TimeProvider time, RevisionSync sync, IResourceTypeCatalog resourceTypes, AfterCommitHook hook)
{
    /// <summary>Grain reloads run at once after a batch's COMMIT: enough to overlap their round trips, few enough to leave the silo to decisions.</summary>
    private const int ParallelReloads = 16;

    /// <param name="items">The changes, in order; at most <see cref="FieldLimits.MaxBatchChanges"/>.</param>
    /// <param name="cancellationToken">The caller's deadline or cancellation: honoured until COMMIT (then nothing is stored:
    /// <see cref="BatchAbandonedException"/>), never after it, since what committed must reach the grains.</param>
    public async Task<IReadOnlyList<long>> ApplyAsync(IReadOnlyList<AdminBatchItem> items, CancellationToken cancellationToken = default)
    {
        if (items.Count == 0)
        {
            throw new EntitlementValidationException("changes: a batch needs at least one change");
        }
        if (items.Count > FieldLimits.MaxBatchChanges)
        {
            // The edge refuses it first (RequestLimits); this holds for every other caller too.
            throw new EntitlementValidationException($"changes: has {items.Count} items; at most {FieldLimits.MaxBatchChanges} are allowed");
        }
        var now = time.GetUtcNow();
        var writes = items.Select((item, i) => Validated(item, i, now)).ToList();
        Func<Task>[] reloads =
        [
            .. items.Select(PrincipalOf).OfType<string>().Distinct(StringComparer.Ordinal)
                .Select(principal => (Func<Task>)(() => grains.GetGrain<IPrincipalGrain>(principal).Reload())),
            .. items.OfType<GroupMembersItem>().Select(g => g.GroupKey).Distinct(StringComparer.Ordinal)
                .Select(group => (Func<Task>)(() => grains.GetGrain<IGroupGrain>(group).Reload())),
        ];
        try
        {
            return await GrainReloads.CommitThenReloadAsync(
                () => StorageGuard.Run(() => store.ApplyAsync(writes, now, cancellationToken)), applied => applied.Max(),
                _ => [() => BoundedReloads.AllAsync(reloads, ParallelReloads)], hook, sync);
        }
        catch (BatchTargetMissingException e)
        {
            throw new EntitlementNotFoundException(e.Message);
        }
    }

    private BatchWrite Validated(AdminBatchItem item, int index, DateTimeOffset now)
    {
        try
        {
            return item switch
            {
                CreateGrantItem create => new CreateGrantWrite(create.Draft.ToGrant(create.Principal, now, resourceTypes.IsKnown), create.Draft.ExpectedRevision),
                RevokeGrantItem revoke => string.IsNullOrWhiteSpace(revoke.Reason)
                    ? throw new EntitlementValidationException("reason is required to revoke a grant")
                    : new RevokeGrantWrite(revoke.GrantId, revoke.Principal, revoke.Actor, revoke.Reason.Trim(), revoke.ExpectedRevision),
                GroupMembersItem group => Validated(group),
                _ => throw new EntitlementValidationException("an unknown kind of change"),
            };
        }
        catch (EntitlementValidationException e)
        {
            throw new EntitlementValidationException($"changes[{index}]: {e.Message}");
        }
    }

    private static GroupMembersWrite Validated(GroupMembersItem group)
    {
        GroupMembersValidation.Validate(group.Change);
        return new GroupMembersWrite(group.GroupKey,
            [.. group.Change.Upserts.Select(m => new GroupMembership(m.PatientId, m.PeriodStart, m.PeriodEnd))],
            group.Change.Removals, group.Change.Actor, group.Change.Reason.Trim(), group.Change.ExpectedRevision);
    }

    private static string? PrincipalOf(AdminBatchItem item) => item switch
    {
        CreateGrantItem create => create.Principal,
        RevokeGrantItem revoke => revoke.Principal,
        _ => null,
    };
}
