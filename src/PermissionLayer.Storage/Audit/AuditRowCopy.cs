using Npgsql;
using NpgsqlTypes;
using PermissionLayer.Core.Audit;

namespace PermissionLayer.Storage.Audit;

/// <summary>The binary COPY of audit rows: the statement and one row's columns in its order.</summary>
internal static class AuditRowCopy
{
    public const string Statement = """
        COPY audit.decision (decided_at, decision_id, writer_id, sequence, caller, client_id, fhir_user, user_organization,
            patients, interaction, resource_type, resource_id, purpose_of_use, break_glass, break_glass_reason, jti,
            outcome, deciding_term, reasons, consents, revision, latency_us, previous_hash, hash, original_values) FROM STDIN (FORMAT BINARY)
        """;

    // Npgsql's synchronous Write would block this thread whenever its buffer flushes to the socket;
    // the awaits of WriteAsync cost little when it does not (a completed task), so it stays async.
    public static async Task WriteRowAsync(NpgsqlBinaryImporter copy, AuditedDecision d, Guid writerId, long sequence, byte[] previous, byte[] hash)
    {
        await copy.StartRowAsync();
        await copy.WriteAsync(d.DecidedAt.UtcDateTime, NpgsqlDbType.TimestampTz);
        await copy.WriteAsync(d.DecisionId, NpgsqlDbType.Uuid);
        await copy.WriteAsync(writerId, NpgsqlDbType.Uuid);
        await copy.WriteAsync(sequence, NpgsqlDbType.Bigint);
        await copy.WriteAsync(d.Caller, NpgsqlDbType.Text);
        await copy.WriteAsync(d.ClientId, NpgsqlDbType.Text);
        await WriteNullableAsync(copy, d.FhirUser);
        await WriteNullableAsync(copy, d.UserOrganization);
        await WriteTextArrayAsync(copy, d.Patients);
        await copy.WriteAsync(d.Interaction, NpgsqlDbType.Text);
        await copy.WriteAsync(d.ResourceType, NpgsqlDbType.Text);
        await WriteNullableAsync(copy, d.ResourceId);
        await WriteNullableAsync(copy, d.PurposeOfUse);
        await copy.WriteAsync(d.BreakGlass, NpgsqlDbType.Boolean);
        await WriteNullableAsync(copy, d.BreakGlassReason);
        await WriteNullableAsync(copy, d.Jti);
        await copy.WriteAsync(d.Outcome, NpgsqlDbType.Text);
        await WriteNullableAsync(copy, d.DecidingTerm);
        await copy.WriteAsync(d.ReasonsJson, NpgsqlDbType.Text);
        await WriteTextArrayAsync(copy, d.Consents);
        await copy.WriteAsync(d.Revision, NpgsqlDbType.Bigint);
        await copy.WriteAsync(d.LatencyMicroseconds, NpgsqlDbType.Bigint);
        await copy.WriteAsync(previous, NpgsqlDbType.Bytea);
        await copy.WriteAsync(hash, NpgsqlDbType.Bytea);
        await WriteNullableAsync(copy, d.OriginalValues);
    }

    /// <summary>
    /// Npgsql writes any <see cref="IList{T}"/> as an array, so the lists (arrays, <see cref="List{T}"/>)
    /// are written without a copy. One static type for every row: the importer keeps a column's
    /// converter while the type it is written as stays the same.
    /// </summary>
    private static Task WriteTextArrayAsync(NpgsqlBinaryImporter copy, IReadOnlyList<string> values) =>
        copy.WriteAsync(values as IList<string> ?? [.. values], NpgsqlDbType.Array | NpgsqlDbType.Text);

    private static Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value) =>
        value is null ? copy.WriteNullAsync() : copy.WriteAsync(value, NpgsqlDbType.Text);
}
