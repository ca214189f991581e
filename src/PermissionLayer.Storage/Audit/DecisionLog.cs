using Npgsql;
using NpgsqlTypes;
using PermissionLayer.Core.Audit;

namespace PermissionLayer.Storage.Audit;

/// <summary>Reads the decision log: filtered, time-ordered, resumable queries.</summary>
public sealed class DecisionLog(AuditDatabase database)
{
    internal const string Columns = """
        decided_at, decision_id, writer_id, sequence, caller, client_id, fhir_user, user_organization, patients,
        interaction, resource_type, resource_id, purpose_of_use, break_glass, break_glass_reason, jti, outcome,
        deciding_term, reasons, consents, revision, latency_us, previous_hash, hash, original_values
        """;

    public IAsyncEnumerable<StoredDecision> QueryAsync(DecisionFilter filter, CancellationToken cancellationToken = default)
    {
        var query = new FilteredQuery($"SELECT {Columns} FROM audit.decision");
        if (filter.Patient is { } patient)
        {
            query.Where("patients @> ARRAY[@patient]", "patient", patient, NpgsqlDbType.Text);
        }
        if (filter.FhirUser is { } user)
        {
            query.Where("fhir_user = @user", "user", user, NpgsqlDbType.Text);
        }
        if (filter.ClientId is { } client)
        {
            query.Where("client_id = @client", "client", client, NpgsqlDbType.Text);
        }
        if (filter.Outcome is { } outcome)
        {
            // Literal, so the partial index on denies applies; the value is validated by the caller.
            query.Where(outcome == "deny" ? "outcome = 'deny'" : "outcome = 'permit'");
        }
        if (filter.PurposeOfUse is { } purpose)
        {
            query.Where("purpose_of_use = @purpose", "purpose", purpose, NpgsqlDbType.Text);
        }
        if (filter.BreakGlassOnly)
        {
            query.Where("break_glass");
        }
        if (filter.From is { } from)
        {
            query.Where("decided_at >= @from", "from", from.UtcDateTime, NpgsqlDbType.TimestampTz);
        }
        if (filter.To is { } to)
        {
            query.Where("decided_at < @to", "to", to.UtcDateTime, NpgsqlDbType.TimestampTz);
        }
        if (filter.After is { } after)
        {
            query.Where("(decided_at, decision_id) > (@after_time, @after_id)",
                new NpgsqlParameter("after_time", NpgsqlDbType.TimestampTz) { Value = after.Time.UtcDateTime },
                new NpgsqlParameter("after_id", NpgsqlDbType.Uuid) { Value = after.Id });
        }
        return query.ReadAsync(database, "decided_at, decision_id", filter.Limit, Read, cancellationToken);
    }

    /// <summary>
    /// Decisions that touched <paramref name="patient"/> per UTC day and outcome, over [from, to): the
    /// chart of a patient's access page. Served by the GIN index on patients and the time range's
    /// partitions; the caller bounds the range (a month, not the whole log).
    /// </summary>
    public Task<IReadOnlyList<DailyOutcomeCount>> CountByDayAsync(
        string patient, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        StorageCall.RunAsync(async () =>
        {
            await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand("""
                SELECT (decided_at AT TIME ZONE 'UTC')::date AS day, outcome, count(*)
                FROM audit.decision
                WHERE patients @> ARRAY[@patient] AND decided_at >= @from AND decided_at < @to
                GROUP BY 1, 2 ORDER BY 1, 2
                """, connection);
            command.Parameters.Add(new NpgsqlParameter("patient", NpgsqlDbType.Text) { Value = patient });
            command.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.TimestampTz) { Value = from.UtcDateTime });
            command.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.TimestampTz) { Value = to.UtcDateTime });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var counts = new List<DailyOutcomeCount>();
            while (await reader.ReadAsync(cancellationToken))
            {
                counts.Add(new DailyOutcomeCount(reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.GetInt64(2)));
            }
            return (IReadOnlyList<DailyOutcomeCount>)counts;
        });

    /// <summary>The ids of those decisions that have a row (looked up by time and id, as decision_time indexes them).</summary>
    public Task<HashSet<Guid>> ExistingAsync(IReadOnlyCollection<AuditedDecision> decisions, CancellationToken cancellationToken) =>
        StorageCall.RunAsync(async () =>
        {
            await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand(
                "SELECT decision_id FROM audit.decision WHERE (decided_at, decision_id) IN (SELECT * FROM unnest(@times, @ids))", connection);
            command.Parameters.Add(new NpgsqlParameter("times", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = decisions.Select(d => d.DecidedAt.UtcDateTime).ToArray() });
            command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = decisions.Select(d => d.DecisionId).ToArray() });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var ids = new HashSet<Guid>();
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetGuid(0));
            }
            return ids;
        });

    internal static StoredDecision Read(NpgsqlDataReader r)
    {
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        var decision = new AuditedDecision
        {
            DecidedAt = new DateTimeOffset(r.GetDateTime(0), TimeSpan.Zero),
            DecisionId = r.GetGuid(1),
            Caller = r.GetString(4),
            ClientId = r.GetString(5),
            FhirUser = Text(6),
            UserOrganization = Text(7),
            Patients = r.GetFieldValue<string[]>(8),
            Interaction = r.GetString(9),
            ResourceType = r.GetString(10),
            ResourceId = Text(11),
            PurposeOfUse = Text(12),
            BreakGlass = r.GetBoolean(13),
            BreakGlassReason = Text(14),
            Jti = Text(15),
            Outcome = r.GetString(16),
            DecidingTerm = Text(17),
            ReasonsJson = r.GetString(18),
            Consents = r.GetFieldValue<string[]>(19),
            Revision = r.GetInt64(20),
            LatencyMicroseconds = r.GetInt64(21),
            OriginalValues = Text(24),
        };
        return new StoredDecision(decision, r.GetGuid(2), r.GetInt64(3), r.GetFieldValue<byte[]>(22), r.GetFieldValue<byte[]>(23));
    }
}
