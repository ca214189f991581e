using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace PermissionLayer.Storage.Changes;

/// <summary>
/// Assigns revisions. Every write transaction records its change here before it commits.
/// </summary>
/// <remarks>
/// Revisions are taken under a transaction-scoped advisory lock, so they commit in revision order:
/// a reader that has seen revision R has seen every revision below R. That is what makes the
/// Watch stream resumable and "at least as fresh as R" meaningful. Entitlement writes are rare
/// next to decisions, so serialising them costs nothing that matters.
/// </remarks>
public static class ChangeLog
{
    internal const long RevisionLockKey = 0x504C_5245_5649; // "PLREVI"

    /// <summary>
    /// Takes the next revision and stages the change row in <paramref name="db"/>. Must run inside
    /// the caller's transaction; the lock is released when it commits or rolls back.
    /// </summary>
    /// <remarks>
    /// With an expected revision, the revision of the subject's last change must equal it (0: the
    /// subject has never changed), else <see cref="RevisionPreconditionException"/>. Checked under the
    /// lock that orders every write, so no other change can slip in between the check and this one.
    /// <c>entities</c> names every grain-held entity the change alters (see <see cref="ChangedEntity"/>):
    /// silos reload exactly these before they report the revision, so a change that leaves one out is
    /// never applied there.
    /// </remarks>
    public static async Task<long> RecordAsync(
        PermissionLayerDbContext db, string kind, string subject, IReadOnlyCollection<ChangedEntity> entities, object? before, object? after,
        string actor, string reason, DateTimeOffset at, CancellationToken cancellationToken, long? expectedRevision = null)
    {
        if (entities.Count == 0)
        {
            throw new ArgumentException("A change must name the entities it alters.", nameof(entities));
        }
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A change must be recorded inside a transaction.");
        }
        await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({RevisionLockKey})", cancellationToken);
        if (expectedRevision is { } expected)
        {
            var last = await db.Database
                .SqlQuery<long>($"SELECT COALESCE(MAX(revision), 0) AS \"Value\" FROM entitlement_changes WHERE subject = {subject}")
                .SingleAsync(cancellationToken);
            if (last != expected)
            {
                throw new RevisionPreconditionException(subject, expected, last);
            }
        }
        var revision = await db.Database
            .SqlQueryRaw<long>("SELECT COALESCE(MAX(revision), 0) + 1 AS \"Value\" FROM entitlement_changes")
            .SingleAsync(cancellationToken);
        db.Add(Row(revision, kind, subject, entities, before, after, actor, reason, at));
        return revision;
    }

    /// <summary>
    /// For a batch of writes that records many changes at once (see <see cref="ChangeLogBatch"/>):
    /// takes the revision lock, then reads in one round trip the next free revision and the last
    /// revision of each of <paramref name="subjects"/> (those whose expected revisions the batch checks).
    /// Must run inside the caller's transaction; the batch then stages its rows with <see cref="Row"/>.
    /// </summary>
    internal static async Task<ChangeLogBatch> LockForBatchAsync(
        PermissionLayerDbContext db, IReadOnlyCollection<string> subjects, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A change must be recorded inside a transaction.");
        }
        await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({RevisionLockKey})", cancellationToken);
        var subjectArray = subjects.Distinct(StringComparer.Ordinal).ToArray();
        // One row for the next revision (subject null), one per subject that has ever changed.
        var rows = await db.Database.SqlQuery<SubjectRevision>($"""
            SELECT NULL::text AS "Subject", COALESCE(MAX(revision), 0) AS "Revision" FROM entitlement_changes
            UNION ALL
            SELECT subject, MAX(revision) FROM entitlement_changes WHERE subject = ANY({subjectArray}) GROUP BY subject
            """).ToListAsync(cancellationToken);
        var last = rows.Where(r => r.Subject is not null).ToDictionary(r => r.Subject!, r => r.Revision, StringComparer.Ordinal);
        return new ChangeLogBatch(rows.Single(r => r.Subject is null).Revision + 1, last);
    }

    /// <summary>A change row as <see cref="RecordAsync"/> stages it (JSON views, distinct entities).</summary>
    internal static EntitlementChangeRow Row(
        long revision, string kind, string subject, IReadOnlyCollection<ChangedEntity> entities, object? before, object? after,
        string actor, string reason, DateTimeOffset at)
    {
        if (entities.Count == 0)
        {
            throw new ArgumentException("A change must name the entities it alters.", nameof(entities));
        }
        return new EntitlementChangeRow
        {
            Revision = revision,
            At = at,
            Actor = actor,
            Reason = reason,
            Kind = kind,
            Subject = subject,
            Before = before is null ? null : JsonSerializer.Serialize(before, JsonOptions),
            After = after is null ? null : JsonSerializer.Serialize(after, JsonOptions),
            Entities = [.. entities.Select(e => e.Reference).Distinct(StringComparer.Ordinal)],
        };
    }

    /// <summary>A row of <see cref="LockForBatchAsync"/>'s read.</summary>
    internal sealed class SubjectRevision
    {
        public string? Subject { get; set; }
        public long Revision { get; set; }
    }

    /// <summary>The highest committed revision (0 when nothing was ever written).</summary>
    public static Task<long> CurrentAsync(PermissionLayerDbContext db, CancellationToken cancellationToken) =>
        db.Database.SqlQueryRaw<long>("SELECT COALESCE(MAX(revision), 0) AS \"Value\" FROM entitlement_changes")
            .SingleAsync(cancellationToken);

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
