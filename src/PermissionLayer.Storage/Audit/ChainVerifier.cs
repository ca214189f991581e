using System.Data;
using System.Runtime.CompilerServices;
using Npgsql;

namespace PermissionLayer.Storage.Audit;

/// <summary>
/// Walks each writer's chain from its first retained row to its recorded head. An edited row fails
/// its own hash; a deleted row leaves a gap in the sequence (or a head that no row reaches); a row
/// added past the head is caught too.
/// </summary>
public sealed class ChainVerifier(AuditDatabase database)
{
    public Task<IReadOnlyList<ChainVerdict>> VerifyAsync(Guid? writerId, CancellationToken cancellationToken) =>
        StorageCall.RunAsync(async () =>
        {
            await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
            // One snapshot for heads and rows: the chains are written while they are verified, and
            // a row committed after its head was read must not look like a forged extra row.
            await using var snapshot = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
            var verdicts = new List<ChainVerdict>();
            foreach (var writer in await WritersAsync(connection, writerId, cancellationToken))
            {
                verdicts.Add(await VerifyAsync(connection, writer, cancellationToken));
            }
            return (IReadOnlyList<ChainVerdict>)verdicts;
        });

    private static async Task<ChainVerdict> VerifyAsync(NpgsqlConnection connection, WriterHead writer, CancellationToken cancellationToken)
    {
        var expectedSequence = writer.FirstSequence;
        var previousHash = writer.FirstPreviousHash;
        long rows = 0;
        await foreach (var row in ChainAsync(connection, writer.WriterId, cancellationToken))
        {
            if (row.Sequence != expectedSequence)
            {
                return Broken(writer, rows, expectedSequence, null,
                    $"sequence {expectedSequence} is missing (next row found is {row.Sequence}, decision {row.Decision.DecisionId})");
            }
            if (!row.PreviousHash.AsSpan().SequenceEqual(previousHash))
            {
                return Broken(writer, rows, row.Sequence, row.Decision.DecisionId, "previous_hash does not match the hash of the row before");
            }
            var hash = AuditChain.Hash(row.Decision, writer.WriterId, row.Sequence, previousHash);
            if (!hash.AsSpan().SequenceEqual(row.Hash))
            {
                return Broken(writer, rows, row.Sequence, row.Decision.DecisionId, "the row's content does not match its hash (edited)");
            }
            previousHash = row.Hash;
            expectedSequence++;
            rows++;
        }
        if (expectedSequence - 1 != writer.HeadSequence || !previousHash.AsSpan().SequenceEqual(writer.HeadHash))
        {
            return Broken(writer, rows, expectedSequence, null,
                $"the chain ends at sequence {expectedSequence - 1} but the writer's head is {writer.HeadSequence} (rows deleted at the end, or added past it)");
        }
        return new ChainVerdict(writer.WriterId, rows, Intact: true);
    }

    private static ChainVerdict Broken(WriterHead writer, long rows, long sequence, Guid? decisionId, string problem) =>
        new(writer.WriterId, rows, Intact: false, sequence, decisionId, problem);

    /// <summary>One writer's rows in sequence order.</summary>
    private static async IAsyncEnumerable<StoredDecision> ChainAsync(
        NpgsqlConnection connection, Guid writerId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT {DecisionLog.Columns} FROM audit.decision WHERE writer_id = @writer ORDER BY sequence", connection);
        command.Parameters.AddWithValue("writer", writerId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return DecisionLog.Read(reader);
        }
    }

    private static async Task<List<WriterHead>> WritersAsync(NpgsqlConnection connection, Guid? writerId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT writer_id, first_sequence, first_previous_hash, head_sequence, head_hash FROM audit.writer"
            + (writerId is null ? "" : " WHERE writer_id = @writer") + " ORDER BY started_at, writer_id", connection);
        if (writerId is { } id)
        {
            command.Parameters.AddWithValue("writer", id);
        }
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var writers = new List<WriterHead>();
        while (await reader.ReadAsync(cancellationToken))
        {
            writers.Add(new WriterHead(reader.GetGuid(0), reader.GetInt64(1), reader.GetFieldValue<byte[]>(2), reader.GetInt64(3), reader.GetFieldValue<byte[]>(4)));
        }
        return writers;
    }

    private sealed record WriterHead(Guid WriterId, long FirstSequence, byte[] FirstPreviousHash, long HeadSequence, byte[] HeadHash);
}
