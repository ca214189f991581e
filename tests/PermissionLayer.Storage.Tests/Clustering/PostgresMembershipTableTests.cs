using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using PermissionLayer.Storage.Clustering;
using PermissionLayer.Testing.Postgres;

namespace PermissionLayer.Storage.Tests.Clustering;

/// <summary>The membership table's optimistic-concurrency contract, against a real PostgreSQL.</summary>
public sealed class PostgresMembershipTableTests
{
    private static async Task<PostgresMembershipTable> NewTableAsync()
    {
        var database = await PostgresServer.CreateDatabaseAsync("membership");
        await using (var db = new PermissionLayerDbContext(new DbContextOptionsBuilder<PermissionLayerDbContext>().UseNpgsql(database).Options))
        {
            await db.Database.MigrateAsync();
        }
        var table = new PostgresMembershipTable(NpgsqlDataSource.Create(database), Options.Create(new ClusterOptions { ClusterId = "c" }));
        await table.InitializeMembershipTable(true);
        return table;
    }

    private static MembershipEntry Entry(int port, SiloStatus status = SiloStatus.Joining) => new()
    {
        SiloAddress = SiloAddress.New(IPAddress.Loopback, port, 1),
        SiloName = $"silo-{port}",
        HostName = "localhost",
        Status = status,
        ProxyPort = port + 1000,
        StartTime = DateTime.UtcNow,
        IAmAliveTime = DateTime.UtcNow,
        SuspectTimes = [],
    };

    [Fact]
    public async Task Insert_and_read_round_trip_and_bump_the_version()
    {
        var table = await NewTableAsync();
        var empty = await table.ReadAll();
        Assert.Equal(0, empty.Version.Version);

        var entry = Entry(11111);
        entry.SuspectTimes = [Tuple.Create(SiloAddress.New(IPAddress.Loopback, 22222, 7), new DateTime(2026, 11, 24, 10, 0, 0, DateTimeKind.Utc))];
        Assert.True(await table.InsertRow(entry, empty.Version.Next()));

        var read = await table.ReadRow(entry.SiloAddress);
        var (stored, etag) = Assert.Single(read.Members);
        Assert.Equal(1, read.Version.Version);
        Assert.Equal(entry.SiloAddress, stored.SiloAddress);
        Assert.Equal("silo-11111", stored.SiloName);
        Assert.Equal(12111, stored.ProxyPort);
        Assert.Equal(entry.SuspectTimes[0].Item1, Assert.Single(stored.SuspectTimes!).Item1);
        Assert.Equal(entry.SuspectTimes[0].Item2, stored.SuspectTimes![0].Item2);
        Assert.False(string.IsNullOrEmpty(etag));
    }

    [Fact]
    public async Task A_write_from_a_stale_version_or_etag_changes_nothing()
    {
        var table = await NewTableAsync();
        var start = (await table.ReadAll()).Version;
        Assert.True(await table.InsertRow(Entry(1), start.Next()));
        Assert.False(await table.InsertRow(Entry(2), start.Next())); // same stale version

        var now = await table.ReadAll();
        var (entry, etag) = Assert.Single(now.Members);
        entry.Status = SiloStatus.Active;
        Assert.False(await table.UpdateRow(entry, "not-the-etag", now.Version.Next()));
        Assert.True(await table.UpdateRow(entry, etag, now.Version.Next()));
        Assert.False(await table.UpdateRow(entry, etag, now.Version.Next())); // etag and version moved on

        var final = await table.ReadAll();
        Assert.Equal(SiloStatus.Active, Assert.Single(final.Members).Item1.Status);
        Assert.Equal(2, final.Version.Version);
    }

    [Fact]
    public async Task Concurrent_writers_from_one_version_have_exactly_one_winner()
    {
        var table = await NewTableAsync();
        var version = (await table.ReadAll()).Version;
        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => table.InsertRow(Entry(30000 + i), version.Next())));
        Assert.Equal(1, results.Count(r => r));
        Assert.Single((await table.ReadAll()).Members);
    }

    [Fact]
    public async Task Cleanup_removes_only_dead_silos_older_than_the_cutoff_and_i_am_alive_updates_in_place()
    {
        var table = await NewTableAsync();
        var version = (await table.ReadAll()).Version;
        var dead = Entry(1, SiloStatus.Dead);
        dead.IAmAliveTime = DateTime.UtcNow.AddHours(-2);
        Assert.True(await table.InsertRow(dead, version = version.Next()));
        var alive = Entry(2, SiloStatus.Active);
        Assert.True(await table.InsertRow(alive, (await table.ReadAll()).Version.Next()));

        alive.IAmAliveTime = DateTime.UtcNow.AddMinutes(1);
        await table.UpdateIAmAlive(alive);
        await table.CleanupDefunctSiloEntries(DateTimeOffset.UtcNow.AddHours(-1));

        var (remaining, _) = Assert.Single((await table.ReadAll()).Members);
        Assert.Equal(alive.SiloAddress, remaining.SiloAddress);
        Assert.True(Math.Abs((remaining.IAmAliveTime - alive.IAmAliveTime).TotalMilliseconds) < 1);
    }
}
