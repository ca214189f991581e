using System.Text.Json;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Audit;

/// <summary>
/// The fast half of issue 14 item 12 (the kill itself is QueuedAuditCrashTests, slow): write-ahead
/// segments an earlier process left are written at the next start, in any mode, each record once; a
/// torn last line (the append a kill interrupted, never answered) is dropped, not quarantined; the
/// segments are deleted.
/// </summary>
public sealed class WriteAheadReplayTests
{
    [Fact]
    public async Task Segments_a_killed_process_left_are_written_at_the_next_start_and_deleted()
    {
        var database = await PostgresServer.CreateDatabaseAsync("write-ahead-replay");
        var spillPath = Path.Combine(Path.GetTempPath(), "permissionlayer-tests", $"wal-{Guid.NewGuid():N}.ndjson");
        var folder = spillPath + ".wal";
        Directory.CreateDirectory(folder);
        var records = Enumerable.Range(0, 5).Select(_ => PoisonedAuditRowTests.Record()).ToList();
        // Two segments of the killed process; the same record in both (rotation never does this, a
        // replay must not care); the second ends in a torn append.
        await File.WriteAllTextAsync(Path.Combine(folder, "run-00000001.ndjson"),
            string.Concat(records.Take(3).Select(r => JsonSerializer.Serialize(r) + "\n")), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(folder, "run-00000002.ndjson"),
            string.Concat(records.Skip(2).Select(r => JsonSerializer.Serialize(r) + "\n")) + JsonSerializer.Serialize(PoisonedAuditRowTests.Record())[..40],
            TestContext.Current.CancellationToken);

        // Durable now: what a queued process left is written all the same.
        await using (await ServerHost.StartAsync(database, new Dictionary<string, string?> { ["PermissionLayer:Audit:SpillPath"] = spillPath }))
        {
            Assert.Empty(Directory.GetFiles(folder));
        }

        var ids = string.Join(",", records.Select(r => $"'{r.DecisionId}'"));
        Assert.Equal(5, await AuditTable.CountAsync(database, $"decision_id IN ({ids})"));
        Assert.Equal(5, await AuditTable.CountAsync(database, "caller = 'poison-test'")); // nothing twice, the torn line not at all
        Assert.Equal(0L, await AuditTable.ScalarAsync<long>(database, "SELECT count(*) FROM audit.quarantine"));
    }
}
