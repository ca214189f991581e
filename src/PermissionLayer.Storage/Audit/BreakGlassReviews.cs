using Npgsql;
using NpgsqlTypes;

namespace PermissionLayer.Storage.Audit;

/// <summary>
/// The break-the-glass review queue and its log (<c>audit.break_glass_review</c>): the decisions
/// flagged break-the-glass that have no review yet, oldest first, and the reviews recorded.
/// </summary>
public sealed class BreakGlassReviews(AuditDatabase database)
{
    /// <summary>
    /// Break-the-glass decisions without a review, oldest first, resuming after <paramref name="after"/>.
    /// Walks the partial index on break-the-glass rows in time order and stops at <paramref name="limit"/>.
    /// </summary>
    public IAsyncEnumerable<StoredDecision> PendingAsync(AuditCursor? after, int limit, CancellationToken cancellationToken = default)
    {
        var query = new FilteredQuery(
            $"SELECT {DecisionLog.Columns} FROM audit.decision d");
        query.Where("break_glass");
        query.Where("NOT EXISTS (SELECT 1 FROM audit.break_glass_review r WHERE r.decision_id = d.decision_id)");
        if (after is not null)
        {
            query.Where("(decided_at, d.decision_id) > (@after_time, @after_id)",
                new NpgsqlParameter("after_time", NpgsqlDbType.TimestampTz) { Value = after.Time.UtcDateTime },
                new NpgsqlParameter("after_id", NpgsqlDbType.Uuid) { Value = after.Id });
        }
        return query.ReadAsync(database, "decided_at, d.decision_id", limit, DecisionLog.Read, cancellationToken);
    }

    /// <summary>
    /// Records a review of the break-the-glass decision <paramref name="decisionId"/>, unless there is
    /// no such decision or it already has one. The decision is looked up among break-the-glass rows
    /// only (the partial index), so a review can never be attached to an ordinary decision.
    /// </summary>
    public Task<(ReviewAttempt Attempt, BreakGlassReview? Review)> RecordAsync(
        Guid decisionId, string reviewer, bool justified, string note, DateTimeOffset reviewedAt, CancellationToken cancellationToken = default) =>
        StorageCall.RunAsync(async () =>
        {
            await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand("""
                WITH target AS (
                    SELECT decided_at, decision_id FROM audit.decision WHERE break_glass AND decision_id = @decision LIMIT 1
                ), inserted AS (
                    INSERT INTO audit.break_glass_review (review_id, decision_id, decided_at, reviewed_at, reviewer, verdict, note)
                    SELECT @review, decision_id, decided_at, @reviewed_at, @reviewer, @verdict, @note FROM target
                    ON CONFLICT (decision_id) DO NOTHING
                    RETURNING decided_at
                )
                SELECT (SELECT count(*) FROM target), (SELECT decided_at FROM inserted)
                """, connection);
            var review = Guid.CreateVersion7(reviewedAt);
            command.Parameters.Add(new NpgsqlParameter("decision", NpgsqlDbType.Uuid) { Value = decisionId });
            command.Parameters.Add(new NpgsqlParameter("review", NpgsqlDbType.Uuid) { Value = review });
            command.Parameters.Add(new NpgsqlParameter("reviewed_at", NpgsqlDbType.TimestampTz) { Value = reviewedAt.UtcDateTime });
            command.Parameters.Add(new NpgsqlParameter("reviewer", NpgsqlDbType.Text) { Value = reviewer });
            command.Parameters.Add(new NpgsqlParameter("verdict", NpgsqlDbType.Text)
            {
                Value = justified ? BreakGlassReview.JustifiedVerdict : BreakGlassReview.UnjustifiedVerdict,
            });
            command.Parameters.Add(new NpgsqlParameter("note", NpgsqlDbType.Text) { Value = note });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            if (reader.GetInt64(0) == 0)
            {
                return (ReviewAttempt.NoSuchBreakGlassDecision, (BreakGlassReview?)null);
            }
            if (reader.IsDBNull(1))
            {
                return (ReviewAttempt.AlreadyReviewed, null);
            }
            var decidedAt = new DateTimeOffset(reader.GetDateTime(1), TimeSpan.Zero);
            return (ReviewAttempt.Recorded, new BreakGlassReview(review, decisionId, decidedAt, reviewedAt, reviewer, justified, note));
        });

    /// <summary>Recorded reviews in review order.</summary>
    public IAsyncEnumerable<BreakGlassReview> QueryAsync(BreakGlassReviewFilter filter, CancellationToken cancellationToken = default)
    {
        var query = new FilteredQuery(
            "SELECT review_id, decision_id, decided_at, reviewed_at, reviewer, verdict, note FROM audit.break_glass_review");
        if (filter.DecisionId is { } decision)
        {
            query.Where("decision_id = @decision", "decision", decision, NpgsqlDbType.Uuid);
        }
        if (filter.Reviewer is { } reviewer)
        {
            query.Where("reviewer = @reviewer", "reviewer", reviewer, NpgsqlDbType.Text);
        }
        if (filter.From is { } from)
        {
            query.Where("reviewed_at >= @from", "from", from.UtcDateTime, NpgsqlDbType.TimestampTz);
        }
        if (filter.To is { } to)
        {
            query.Where("reviewed_at < @to", "to", to.UtcDateTime, NpgsqlDbType.TimestampTz);
        }
        if (filter.After is { } after)
        {
            query.Where("(reviewed_at, review_id) > (@after_time, @after_id)",
                new NpgsqlParameter("after_time", NpgsqlDbType.TimestampTz) { Value = after.Time.UtcDateTime },
                new NpgsqlParameter("after_id", NpgsqlDbType.Uuid) { Value = after.Id });
        }
        return query.ReadAsync(database, "reviewed_at, review_id", filter.Limit, r => new BreakGlassReview(
            r.GetGuid(0), r.GetGuid(1), new DateTimeOffset(r.GetDateTime(2), TimeSpan.Zero), new DateTimeOffset(r.GetDateTime(3), TimeSpan.Zero),
            r.GetString(4), r.GetString(5) == BreakGlassReview.JustifiedVerdict, r.GetString(6)), cancellationToken);
    }
}
