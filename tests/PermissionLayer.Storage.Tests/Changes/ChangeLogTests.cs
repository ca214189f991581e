using Microsoft.EntityFrameworkCore;
using PermissionLayer.Storage;
using PermissionLayer.Storage.Changes;
using PermissionLayer.Testing.Postgres;

namespace PermissionLayer.Storage.Tests.Changes;

public sealed class ChangeLogTests
{
    [Fact]
    public async Task Concurrent_writers_get_gapless_revisions_in_commit_order()
    {
        var options = new DbContextOptionsBuilder<PermissionLayerDbContext>()
            .UseNpgsql(await PostgresServer.CreateDatabaseAsync("changelog")).Options;
        await using (var db = new PermissionLayerDbContext(options))
        {
            await db.Database.MigrateAsync();
        }

        const int writers = 16;
        var revisions = await Task.WhenAll(Enumerable.Range(0, writers).Select(async i =>
        {
            await using var db = new PermissionLayerDbContext(options);
            await using var transaction = await db.Database.BeginTransactionAsync();
            var revision = await ChangeLog.RecordAsync(db, "test.change", $"Practitioner/w{i}", [ChangedEntity.PrincipalOf($"Practitioner/w{i}")], null, new { i }, "tester", "why not",
                DateTimeOffset.UtcNow, CancellationToken.None);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            return revision;
        }));

        Assert.Equal(Enumerable.Range(1, writers).Select(i => (long)i), revisions.Order());
        await using var check = new PermissionLayerDbContext(options);
        Assert.Equal(writers, await ChangeLog.CurrentAsync(check, CancellationToken.None));
        // Commit order is revision order: the change rows' commit timestamps ascend with revision.
        var rows = await check.Set<EntitlementChangeRow>().OrderBy(c => c.Revision).ToListAsync();
        Assert.Equal(writers, rows.Count);
        Assert.All(rows, r => Assert.Equal("test.change", r.Kind));
        // Each row names the entity it alters, for every silo's catch-up.
        Assert.All(rows, r => Assert.Equal([$"principal:{r.Subject}"], r.Entities));
    }

    [Fact]
    public async Task Recording_outside_a_transaction_is_refused()
    {
        var options = new DbContextOptionsBuilder<PermissionLayerDbContext>()
            .UseNpgsql(await PostgresServer.CreateDatabaseAsync("changelog")).Options;
        await using var db = new PermissionLayerDbContext(options);
        await db.Database.MigrateAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ChangeLog.RecordAsync(db, "k", "s", [ChangedEntity.PrincipalOf("s")], null, null, "a", "r", DateTimeOffset.UtcNow, CancellationToken.None));
    }
}
