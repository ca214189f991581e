using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using PermissionLayer.Core.Audit;

namespace PermissionLayer.Storage.Audit;

/// <summary>
/// The write-ahead log of queued mode: a decision answered before its audit row commits is first
/// appended here and forced to disk, so that a kill -9 (or a power cut) between the answer and the
/// commit loses nothing; the next start writes what PostgreSQL does not hold, like a spill file.
/// Appends of concurrent decisions share one write and one fsync (group fsync, as the chains share
/// one commit). The log is a folder of segment files of this process (a new name at every start);
/// a segment is deleted once it is closed and each of its records is written.
/// </summary>
public sealed class AuditWriteAhead
{
    private sealed record Entry(AuditedDecision Decision, TaskCompletionSource<AuditWriteAheadSegment> Appended);

    private readonly Channel<Entry> _entries = Channel.CreateUnbounded<Entry>(new UnboundedChannelOptions { SingleReader = true });
    private readonly int _segmentRecords;
    private readonly string _run = Guid.CreateVersion7().ToString("N");
    private readonly IReadOnlyList<string> _earlier;
    private AuditWriteAheadSegment? _current;
    private int _segments;
    private Task? _running;

    /// <param name="folder">The folder of this process's segments (give each process on a machine its own).</param>
    /// <param name="enabled">
    /// Whether this process appends (queued mode with the write-ahead log on). Either way what
    /// earlier processes left is read: a node killed in queued mode may restart in durable mode.
    /// </param>
    /// <param name="segmentRecords">Records per segment before the next one is started.</param>
    public AuditWriteAhead(string folder, bool enabled = true, int segmentRecords = 2_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(segmentRecords, 1);
        Folder = Path.GetFullPath(folder);
        Enabled = enabled;
        _segmentRecords = segmentRecords;
        // Found before this process appends anything: what earlier processes left.
        _earlier = Directory.Exists(Folder) ? [.. Directory.GetFiles(Folder, "*.ndjson").Order(StringComparer.Ordinal)] : [];
    }

    public string Folder { get; }

    /// <summary>Whether records answered before their commit are appended here.</summary>
    public bool Enabled { get; }

    /// <summary>Segments earlier processes left (killed, or stopped with rows unwritten).</summary>
    public IReadOnlyList<string> Earlier => _earlier;

    public void Start() => _running ??= Task.Run(AppendUntilCompletedAsync);

    /// <summary>
    /// Appends the record and returns once it is on disk, with the segment that holds it. Fails with
    /// <see cref="StorageUnavailableException"/> when the file cannot be written: the decision is
    /// then not answered (fail closed).
    /// </summary>
    public async ValueTask<AuditWriteAheadSegment> AppendAsync(AuditedDecision decision, CancellationToken cancellationToken)
    {
        var entry = new Entry(decision, new TaskCompletionSource<AuditWriteAheadSegment>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_entries.Writer.TryWrite(entry))
        {
            throw new StorageUnavailableException("the audit log is shutting down");
        }
        return await entry.Appended.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// The records of the earlier segments. A last line cut short is dropped: its append never
    /// reached the disk whole, so its decision was never answered. Other unreadable lines are
    /// returned, as a spill file's are.
    /// </summary>
    public async Task<SpillContents> ReadEarlierAsync(CancellationToken cancellationToken)
    {
        var records = new List<AuditedDecision>();
        var unreadable = new List<UnreadableSpillLine>();
        foreach (var path in _earlier)
        {
            var text = await File.ReadAllTextAsync(path, cancellationToken);
            var complete = text.LastIndexOf('\n') + 1; // what follows the last newline is a torn append
            var contents = AuditSpillFile.Parse(text[..complete].Split('\n'));
            records.AddRange(contents.Records);
            unreadable.AddRange(contents.Unreadable.Select(u => u with { Text = $"{Path.GetFileName(path)}: {u.Text}" }));
        }
        return new SpillContents(records, unreadable);
    }

    /// <summary>Deletes the earlier segments once their records are written.</summary>
    public void DeleteEarlier()
    {
        foreach (var path in _earlier)
        {
            File.Delete(path);
        }
    }

    /// <summary>Takes no more appends, waits for the ones in progress, and closes the current segment.</summary>
    public async Task StopAsync()
    {
        _entries.Writer.TryComplete();
        if (_running is not null)
        {
            await _running;
        }
        _current?.Close();
    }

    private async Task AppendUntilCompletedAsync()
    {
        var batch = new List<Entry>();
        var text = new StringBuilder();
        while (await _entries.Reader.WaitToReadAsync())
        {
            while (batch.Count < _segmentRecords && _entries.Reader.TryRead(out var entry))
            {
                batch.Add(entry);
            }
            try
            {
                foreach (var entry in batch)
                {
                    text.Append(JsonSerializer.Serialize(entry.Decision)).Append('\n');
                }
                var segment = SegmentFor(batch.Count);
                await segment.AppendAsync(Encoding.UTF8.GetBytes(text.ToString()), batch.Count);
                foreach (var entry in batch)
                {
                    entry.Appended.TrySetResult(segment);
                }
            }
            catch (Exception e)
            {
                var failure = new StorageUnavailableException("the audit write-ahead file could not be written", e);
                foreach (var entry in batch)
                {
                    entry.Appended.TrySetException(failure);
                }
            }
            batch.Clear();
            text.Clear();
        }
    }

    /// <summary>The segment the next <paramref name="records"/> go to: a new one once the current is full.</summary>
    private AuditWriteAheadSegment SegmentFor(int records)
    {
        if (_current is { } current && current.Appended + records <= _segmentRecords)
        {
            return current;
        }
        Directory.CreateDirectory(Folder);
        var next = new AuditWriteAheadSegment(Path.Combine(Folder, $"{_run}-{++_segments:D8}.ndjson"));
        _current?.Close();
        _current = next;
        return next;
    }
}
