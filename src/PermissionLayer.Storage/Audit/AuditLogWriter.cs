using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace PermissionLayer.Storage.Audit;

/// <summary>
/// The audit writer of this process: a bounded queue drained by one or more hash chains
/// (<see cref="AuditChainWriter"/>), each with one batch in flight, so that the commits of
/// different chains overlap (group commit on each). A full queue makes callers wait; nothing is
/// ever dropped.
/// </summary>
public sealed class AuditLogWriter
{
    private readonly Channel<PendingAudit> _queue;
    private readonly AuditChainWriter[] _chains;
    private Task? _running;

    /// <summary>Each of the <paramref name="chains"/> chains has its own writer id and connection.</summary>
    public AuditLogWriter(AuditDatabase database, AuditPartitions partitions, ILogger<AuditLogWriter> logger, int queueCapacity, int maxBatchSize, int chains)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chains, 1);
        _queue = Channel.CreateBounded<PendingAudit>(new BoundedChannelOptions(queueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // back-pressure, never drop
        });
        _chains = [.. Enumerable.Range(0, chains).Select(_ => new AuditChainWriter(database, partitions, _queue.Reader, maxBatchSize, logger))];
    }

    /// <summary>The chains this process writes; new ones at every start.</summary>
    public IReadOnlyList<Guid> WriterIds => [.. _chains.Select(c => c.WriterId)];

    /// <summary>False while any chain's last write failed, until it succeeds again.</summary>
    public bool IsAvailable => _chains.All(c => c.IsAvailable);

    public void Start() => _running ??= Task.WhenAll(_chains.Select(c => Task.Run(() => c.RunAsync(CancellationToken.None))));

    /// <summary>Waits while the queue is full. Fails once the writer has stopped.</summary>
    public ValueTask EnqueueAsync(PendingAudit pending, CancellationToken cancellationToken) =>
        _queue.Writer.WriteAsync(pending, cancellationToken);

    /// <summary>Stops taking records and writes everything queued (graceful shutdown).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (_running is not null)
        {
            await _running.WaitAsync(cancellationToken);
        }
    }
}
