using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Core.Requests;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Server;
using static PermissionLayer.Server.Tests.Batches.BatchRequests;

namespace PermissionLayer.Server.Tests.Batches;

/// <summary>
/// A batch of the largest size allowed commits whole or not at all, and every decision afterwards
/// reflects all of it: a revoked grant denies (even where its holder's grain was active and had
/// permitted), a granted one permits, a group change takes effect, and the change log names every
/// entity each change touched (what every silo reloads).
/// </summary>
public sealed class MaxSizeBatchTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly AdminService.AdminServiceClient _admin = new(server.Host.Channel);
    private readonly DecisionService.DecisionServiceClient _decisions = new(server.Host.Channel);

    private static int MaxChanges => FieldLimits.For("changes").MaxItems;

    private async Task<Outcome[]> ReadAllAsync(IEnumerable<(string User, string Patient)> reads)
    {
        var outcomes = new List<Outcome>();
        foreach (var chunk in reads.Chunk(50))
        {
            var answers = await Task.WhenAll(chunk.Select(r => _decisions.CheckAsync(Requests.ReadPatient(r.User, r.Patient)).ResponseAsync));
            outcomes.AddRange(answers.Select(a => a.Outcome));
        }
        return [.. outcomes];
    }

    [Fact]
    public async Task A_max_size_batch_of_revocations_grants_and_a_group_change_is_seen_by_every_later_decision()
    {
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        var revokes = MaxChanges / 2;
        var grants = MaxChanges - revokes - 2;
        await _admin.ApplyChangesAsync(Batch(Grants("ms-old", revokes)));
        var oldReads = Enumerable.Range(0, revokes).Select(i => ($"Practitioner/ms-old-{i}", $"ms-old-p{i}")).ToList();
        Assert.All(await ReadAllAsync(oldReads), o => Assert.Equal(Outcome.Permit, o)); // their grains are active now
        var ids = await ChangeLogRows.ActiveGrantIdsAsync(server.ConnectionString, "Practitioner/ms-old-");
        var ward = Enumerable.Range(0, 50).Select(i => $"ms-ward-p{i}").ToList();

        var applied = await _admin.ApplyChangesAsync(Batch([
            .. oldReads.Select(r => Revoke(r.Item1, ids[r.Item1])),
            .. Grants("ms-new", grants),
            Members("ms-ward", ward),
            Grant("Practitioner/ms-nurse", "Group/ms-ward"),
        ]));

        Assert.Equal(MaxChanges, applied.Revisions.Count);
        Assert.Equal(Enumerable.Range(0, MaxChanges).Select(i => applied.Revisions[0] + i), applied.Revisions); // one revision each, in order
        Assert.All(await ReadAllAsync(oldReads), o => Assert.Equal(Outcome.Deny, o));
        Assert.All(await ReadAllAsync(Enumerable.Range(0, grants).Select(i => ($"Practitioner/ms-new-{i}", $"ms-new-p{i}"))), o => Assert.Equal(Outcome.Permit, o));
        Assert.All(await ReadAllAsync(ward.Select(p => ("Practitioner/ms-nurse", p))), o => Assert.Equal(Outcome.Permit, o));
        var entities = await ChangeLogRows.EntitiesOfAsync(server.ConnectionString, applied.Revisions);
        Assert.Equal(revokes + grants + 2, entities.Count);
        Assert.Contains("group:ms-ward", entities);
        Assert.All(oldReads, r => Assert.Contains($"principal:{r.Item1}", entities));
        Assert.All(Enumerable.Range(0, grants), i => Assert.Contains($"principal:Practitioner/ms-new-{i}", entities));
    }

    [Fact]
    public async Task A_max_size_batch_whose_last_change_fails_applies_none()
    {
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        var before = await ChangeLogRows.LatestRevisionAsync(server.ConnectionString);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await _admin.ApplyChangesAsync(Batch([
            .. Grants("ma", MaxChanges - 2),
            Members("ma-ward", ["ma-w1"]),
            Revoke("Practitioner/ma-0", Guid.NewGuid().ToString()),
        ])));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.StartsWith($"changes[{MaxChanges - 1}]", error.Status.Detail);
        Assert.Equal(0, await ChangeLogRows.GrantsOfAsync(server.ConnectionString, "Practitioner/ma-"));
        Assert.Equal(0, await ChangeLogRows.ChangesOfAsync(server.ConnectionString, "Group/ma-ward"));
        Assert.Equal(before, await ChangeLogRows.LatestRevisionAsync(server.ConnectionString));
        Assert.Equal(Outcome.Deny, (await _decisions.CheckAsync(Requests.ReadPatient("Practitioner/ma-0", "ma-p0"))).Outcome);
    }
    [Fact]
    public async Task Each_change_is_checked_as_if_the_ones_before_it_had_been_made_one_by_one()
    {
        var first = await _admin.CreateGrantAsync(Requests.Grant("Practitioner/ob-a", "Patient/ob-1"));
        var before = await ChangeLogRows.LatestRevisionAsync(server.ConnectionString);
        var expectingFirst = Requests.Grant("Practitioner/ob-a", "Patient/ob-3");
        expectingFirst.ExpectedRevision = first.Revision; // true before the batch, no longer after its change 0

        var stale = await Assert.ThrowsAsync<RpcException>(async () =>
            await _admin.ApplyChangesAsync(Batch([Grant("Practitioner/ob-a", "Patient/ob-2"), new BatchChange { CreateGrant = expectingFirst }])));
        var twice = await Assert.ThrowsAsync<RpcException>(async () =>
            await _admin.ApplyChangesAsync(Batch([Revoke("Practitioner/ob-a", first.Grant.Id), Revoke("Practitioner/ob-a", first.Grant.Id)])));

        Assert.Equal(StatusCode.FailedPrecondition, stale.StatusCode);
        Assert.StartsWith("changes[1].expected_revision", stale.Status.Detail);
        Assert.Equal(StatusCode.NotFound, twice.StatusCode);
        Assert.StartsWith("changes[1]", twice.Status.Detail);
        Assert.Equal(before, await ChangeLogRows.LatestRevisionAsync(server.ConnectionString));
        Assert.Equal(1, await ChangeLogRows.GrantsOfAsync(server.ConnectionString, "Practitioner/ob-a"));
        Assert.Single(await ChangeLogRows.ActiveGrantIdsAsync(server.ConnectionString, "Practitioner/ob-a"));
    }
}
