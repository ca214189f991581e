using Npgsql;
using NpgsqlTypes;
using PermissionLayer.Core.Audit;
using PermissionLayer.Storage.Audit;

namespace PermissionLayer.Benchmarks.Audit;

/// <summary>
/// One audit row's COPY as it was first written (array copies of the lists, an async method per
/// nullable column): the baseline the current <see cref="AuditRowCopy"/> is measured against.
/// </summary>
internal static class FirstAuditRowCopy
{
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
        await copy.WriteAsync(d.Patients.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
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
        await copy.WriteAsync(d.Consents.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
        await copy.WriteAsync(d.Revision, NpgsqlDbType.Bigint);
        await copy.WriteAsync(d.LatencyMicroseconds, NpgsqlDbType.Bigint);
        await copy.WriteAsync(previous, NpgsqlDbType.Bytea);
        await copy.WriteAsync(hash, NpgsqlDbType.Bytea);
    }

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value)
    {
        if (value is null)
        {
            await copy.WriteNullAsync();
        }
        else
        {
            await copy.WriteAsync(value, NpgsqlDbType.Text);
        }
    }
}
