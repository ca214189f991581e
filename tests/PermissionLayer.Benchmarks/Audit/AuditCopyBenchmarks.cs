using BenchmarkDotNet.Attributes;
using Npgsql;
using PermissionLayer.Core.Audit;
using PermissionLayer.Server.Features.Audit;
using PermissionLayer.Storage.Audit;
using PermissionLayer.Testing.Audit;
using PermissionLayer.Testing.Postgres;

namespace PermissionLayer.Benchmarks.Audit;

/// <summary>
/// The writer's binary COPY of a batch of audit rows (first implementation as baseline), into a
/// temporary table shaped like <c>audit.decision</c> on the PostgreSQL of
/// <c>PERMISSIONLAYER_TEST_POSTGRES</c>. The time includes the server's insert; the allocations
/// are this process's alone.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessShortRun))]
public class AuditCopyBenchmarks
{
    private const int Rows = 500;
    private const string Table = """
        CREATE TEMP TABLE decision (decided_at timestamptz, decision_id uuid, writer_id uuid, sequence bigint, caller text,
            client_id text, fhir_user text, user_organization text, patients text[], interaction text, resource_type text,
            resource_id text, purpose_of_use text, break_glass boolean, break_glass_reason text, jti text, outcome text,
            deciding_term text, reasons text, consents text[], revision bigint, latency_us bigint, previous_hash bytea, hash bytea)
        """;

    private static readonly Guid WriterId = Guid.CreateVersion7();
    private readonly string _statement = AuditRowCopy.Statement.Replace("audit.decision", "pg_temp.decision", StringComparison.Ordinal);
    private readonly AuditedDecision _row = DecisionAuditRecorder.ToRecord(
        Guid.CreateVersion7(), AuditSamples.PermitRequest, AuditSamples.PermitOutcome, "key:fhir-gateway/3", TimeSpan.FromMicroseconds(312));
    private readonly byte[] _hash = AuditChain.Hash(AuditSamples.Rows().First(), WriterId, 1, AuditChain.Genesis);
    private NpgsqlConnection _connection = null!;

    [GlobalSetup]
    public async Task OpenAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable(PostgresServer.EnvironmentVariable)
            ?? throw new InvalidOperationException($"{PostgresServer.EnvironmentVariable} must name the PostgreSQL to write to");
        _connection = new NpgsqlConnection(connectionString);
        await _connection.OpenAsync();
        await using var create = new NpgsqlCommand(Table, _connection);
        await create.ExecuteNonQueryAsync();
    }

    [GlobalCleanup]
    public async Task CloseAsync() => await _connection.DisposeAsync();

    // The temporary table would otherwise grow by every invocation's rows.
    [IterationCleanup]
    public void Truncate()
    {
        using var truncate = new NpgsqlCommand("TRUNCATE pg_temp.decision", _connection);
        truncate.ExecuteNonQuery();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Rows)]
    public Task CopyFirst() => CopyAsync(FirstAuditRowCopy.WriteRowAsync);

    [Benchmark(OperationsPerInvoke = Rows)]
    public Task CopyNow() => CopyAsync(AuditRowCopy.WriteRowAsync);

    private async Task CopyAsync(Func<NpgsqlBinaryImporter, AuditedDecision, Guid, long, byte[], byte[], Task> writeRow)
    {
        await using var copy = await _connection.BeginBinaryImportAsync(_statement);
        for (var sequence = 1; sequence <= Rows; sequence++)
        {
            await writeRow(copy, _row, WriterId, sequence, _hash, _hash);
        }
        await copy.CompleteAsync();
    }
}
