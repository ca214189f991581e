using System.Diagnostics;
using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Core.Requests;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Server;
using static PermissionLayer.Server.Tests.Batches.BatchRequests;

namespace PermissionLayer.Server.Tests.Batches;

/// <summary>
/// ApplyChanges is bounded (a documented most changes per batch), honours its caller's deadline up
/// to COMMIT (a caller that gave up gets nothing committed), and holds other admin writes only as
/// long as its set-based transaction takes — over real gRPC, a real silo and real PostgreSQL.
/// </summary>
public sealed class ApplyChangesBoundsTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly AdminService.AdminServiceClient _admin = new(server.Host.Channel);
    private readonly DecisionService.DecisionServiceClient _decisions = new(server.Host.Channel);

    private static int MaxChanges => FieldLimits.For("changes").MaxItems;

    [Fact]
    public async Task A_batch_over_the_limit_is_refused_naming_changes_before_any_work()
    {
        var before = await ChangeLogRows.LatestRevisionAsync(server.ConnectionString);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await _admin.ApplyChangesAsync(Batch(Grants("ol", MaxChanges + 1))));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("changes: ", error.Status.Detail);
        Assert.Contains($"at most {MaxChanges}", error.Status.Detail);
        Assert.Equal(0, await ChangeLogRows.GrantsOfAsync(server.ConnectionString, "Practitioner/ol-"));
        Assert.Equal(before, await ChangeLogRows.LatestRevisionAsync(server.ConnectionString));
    }

    [Fact]
    public async Task A_batch_whose_caller_gave_up_at_its_deadline_commits_nothing()
    {
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        var before = await ChangeLogRows.LatestRevisionAsync(server.ConnectionString);
        // Another write holds the revision lock, so the batch waits inside its transaction past its deadline.
        var holder = await ChangeLogRows.HoldRevisionLockAsync(server.ConnectionString);
        RpcException error;
        try
        {
            error = await Assert.ThrowsAsync<RpcException>(async () => await _admin.ApplyChangesAsync(
                Batch([Grant("Practitioner/dl-a", "Patient/dl-1"), Members("dl-ward", ["dl-2"]), Grant("Practitioner/dl-b", "Group/dl-ward")]),
                deadline: DateTime.UtcNow.AddSeconds(2)));
            await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken); // the server's deadline has passed too
        }
        finally
        {
            await holder.DisposeAsync(); // releases the lock: a batch still waiting would now commit
        }
        // A write queued behind a still-running batch returns only after that batch commits.
        var after = await _admin.CreateGrantAsync(Requests.Grant("Practitioner/dl-next", "Patient/dl-3"), deadline: DateTime.UtcNow.AddSeconds(20));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Equal(0, await ChangeLogRows.GrantsOfAsync(server.ConnectionString, "Practitioner/dl-a"));
        Assert.Equal(0, await ChangeLogRows.GrantsOfAsync(server.ConnectionString, "Practitioner/dl-b"));
        Assert.Equal(0, await ChangeLogRows.ChangesOfAsync(server.ConnectionString, "Group/dl-ward"));
        Assert.Equal(before + 1, after.Revision); // the batch used no revision
        Assert.Equal(after.Revision, await ChangeLogRows.LatestRevisionAsync(server.ConnectionString));
        Assert.Equal(Outcome.Deny, (await _decisions.CheckAsync(Requests.ReadPatient("Practitioner/dl-a", "dl-1"))).Outcome);
        Assert.Equal(Outcome.Permit, (await _decisions.CheckAsync(Requests.ReadPatient("Practitioner/dl-next", "dl-3"))).Outcome);
    }

    [Fact]
    public async Task A_grant_created_during_a_max_size_batch_is_not_held_for_long()
    {
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        var batch = _admin.ApplyChangesAsync(Batch(Grants("cc", MaxChanges)), deadline: DateTime.UtcNow.AddMinutes(2)).ResponseAsync;
        // Start the single write while the batch holds the revision lock (or right after a fast batch).
        while (!batch.IsCompleted && !await ChangeLogRows.RevisionLockHeldAsync(server.ConnectionString))
        {
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
        var clock = Stopwatch.StartNew();

        CreateGrantResponse single;
        try
        {
            single = await _admin.CreateGrantAsync(Requests.Grant("Practitioner/cc-single", "Patient/cc-single"), deadline: DateTime.UtcNow.AddSeconds(5));
            clock.Stop();
        }
        finally
        {
            await batch.ContinueWith(_ => { }, TaskScheduler.Default); // never leave the batch holding the lock for the next test
        }

        var applied = await batch;
        Assert.Equal(MaxChanges, applied.Revisions.Count);
        Assert.True(single.Revision > 0, $"created in {clock.ElapsedMilliseconds} ms");
        Assert.Equal(Outcome.Permit, (await _decisions.CheckAsync(Requests.ReadPatient("Practitioner/cc-single", "cc-single"))).Outcome);
        Assert.Equal(Outcome.Permit, (await _decisions.CheckAsync(Requests.ReadPatient($"Practitioner/cc-{MaxChanges - 1}", $"cc-p{MaxChanges - 1}"))).Outcome);
    }
}
