using PermissionLayer.Storage.Changes;
using PermissionLayer.Storage.Grants;
using PermissionLayer.Storage.Groups;

namespace PermissionLayer.Storage.Batches;

/// <summary>
/// An admin batch applied in memory, in order, to what was read under the revision lock: each write
/// takes its revision and is checked (its expected revision, its target grant) exactly as if the
/// writes were made one by one, the first that fails failing the batch. What remains is rows to write
/// set-based — one INSERT batch of change rows and grants, updates of the revoked grants, one DELETE
/// and one COPY of group members — instead of several round trips per change.
/// </summary>
internal sealed class BatchPlan
{
    private readonly List<long> _revisions = [];
    private readonly List<EntitlementChangeRow> _changes = [];
    private readonly List<GrantRow> _created = [];
    private readonly Dictionary<(string Group, string Patient), GroupMemberWrite?> _members = [];

    /// <summary>The revision of each write, in order.</summary>
    public IReadOnlyList<long> Revisions => _revisions;

    /// <summary>One change row per write (what Watch, preconditions and every silo's catch-up read).</summary>
    public IReadOnlyList<EntitlementChangeRow> Changes => _changes;

    /// <summary>New grant rows (a grant revoked later in the same batch is inserted revoked).</summary>
    public IReadOnlyList<GrantRow> Created => _created;

    /// <summary>Every (set, patient) the batch touched, with its last write, or null where it ends removed.</summary>
    public IReadOnlyDictionary<(string Group, string Patient), GroupMemberWrite?> Members => _members;

    /// <param name="writes">The batch, validated by the caller.</param>
    /// <param name="log">Revisions, read under the lock.</param>
    /// <param name="stored">The stored grants the batch revokes, by id, tracked (their revocation is written by updating them).</param>
    /// <param name="at">When the batch is applied.</param>
    public static BatchPlan Of(IReadOnlyList<BatchWrite> writes, ChangeLogBatch log, IReadOnlyDictionary<Guid, GrantRow> stored, DateTimeOffset at)
    {
        var plan = new BatchPlan();
        var grants = new Dictionary<Guid, GrantRow>(stored);
        for (var i = 0; i < writes.Count; i++)
        {
            try
            {
                plan._revisions.Add(plan.Apply(writes[i], i, log, grants, at));
            }
            catch (RevisionPreconditionException e)
            {
                throw new RevisionPreconditionException(e.Subject, e.Expected, e.Actual, $"changes[{i}]");
            }
        }
        return plan;
    }

    private long Apply(BatchWrite write, int i, ChangeLogBatch log, Dictionary<Guid, GrantRow> grants, DateTimeOffset at)
    {
        switch (write)
        {
            case CreateGrantWrite create:
            {
                var grant = create.Grant;
                var revision = log.Take(grant.Principal, create.ExpectedRevision);
                _changes.Add(ChangeLog.Row(revision, "grant.created", grant.Principal, [ChangedEntity.PrincipalOf(grant.Principal)],
                    before: null, after: GrantMapping.ToChangeView(grant), grant.GrantedBy, grant.Reason, at));
                var row = GrantMapping.ToRow(grant with { Revision = revision });
                _created.Add(row);
                grants[row.Id] = row;
                return revision;
            }
            case RevokeGrantWrite revoke:
            {
                // As one by one: a grant missing (or another's, or already revoked) is reported before the precondition.
                if (!grants.TryGetValue(revoke.GrantId, out var row) || row.Principal != revoke.Principal || row.RevokedAt is not null)
                {
                    throw new BatchTargetMissingException($"changes[{i}]: {revoke.Principal} has no active grant {revoke.GrantId}; nothing was applied");
                }
                var before = GrantMapping.ToGrant(row);
                var revision = log.Take(revoke.Principal, revoke.ExpectedRevision);
                _changes.Add(ChangeLog.Row(revision, "grant.revoked", revoke.Principal, [ChangedEntity.PrincipalOf(revoke.Principal)],
                    GrantMapping.ToChangeView(before), after: null, revoke.Actor, revoke.Reason, at));
                row.RevokedAt = at;
                row.RevokedRevision = revision;
                row.RevokedBy = revoke.Actor;
                row.RevokeReason = revoke.Reason;
                return revision;
            }
            case GroupMembersWrite group:
            {
                var subject = GroupStore.SetReference(group.GroupKey);
                var revision = log.Take(subject, group.ExpectedRevision);
                _changes.Add(ChangeLog.Row(revision, "group.members-changed", subject, [ChangedEntity.SetOf(group.GroupKey)],
                    before: null, after: new { added = group.Upserts, removed = group.Removals }, group.Actor, group.Reason, at));
                // Within one change an upsert wins over a removal of the same patient, and a later entry over an earlier one.
                foreach (var patient in group.Removals)
                {
                    _members[(group.GroupKey, patient)] = null;
                }
                foreach (var member in group.Upserts)
                {
                    _members[(group.GroupKey, member.PatientId)] = new GroupMemberWrite(group.GroupKey, member, revision);
                }
                return revision;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(write), write, "unknown batch write");
        }
    }
}
