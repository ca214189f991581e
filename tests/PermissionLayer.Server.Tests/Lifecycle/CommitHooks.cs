using PermissionLayer.Grains.Batches;

namespace PermissionLayer.Server.Tests.Lifecycle;

/// <summary>Stops a batch or import between its COMMIT and its reloads until released, telling the test its revision.</summary>
internal sealed class HoldAfterCommit : AfterCommitHook
{
    private readonly TaskCompletionSource<long> _committed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<long> Committed => _committed.Task;

    public void Release() => _release.TrySetResult();

    public override async Task CommittedAsync(long revision)
    {
        _committed.TrySetResult(revision);
        await _release.Task;
    }
}

/// <summary>The silo running a batch or import dies between its COMMIT and its reloads: nothing after the commit runs.</summary>
internal sealed class CrashAfterCommit : AfterCommitHook
{
    public long Revision { get; private set; }

    public override Task CommittedAsync(long revision)
    {
        Revision = revision;
        throw new InvalidOperationException("the silo died after COMMIT (test)");
    }
}
