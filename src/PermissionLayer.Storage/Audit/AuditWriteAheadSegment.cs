namespace PermissionLayer.Storage.Audit;

/// <summary>
/// One file of the queued-mode write-ahead log (<see cref="AuditWriteAhead"/>): the records appended
/// to it, how many of them are written to PostgreSQL, and whether more may come. Once closed and
/// fully written it is deleted: nothing in it can be lost any more.
/// </summary>
public sealed class AuditWriteAheadSegment
{
    private readonly FileStream _stream;
    private int _appended;
    private int _written;
    private volatile bool _closed;

    internal AuditWriteAheadSegment(string path)
    {
        Path = path;
        _stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 1);
    }

    public string Path { get; }

    /// <summary>Records whose append reached the disk (set only by the write-ahead loop).</summary>
    internal int Appended => Volatile.Read(ref _appended);

    /// <summary>Appends whole lines and forces them to disk before returning (the loop's one caller).</summary>
    internal async Task AppendAsync(ReadOnlyMemory<byte> lines, int records)
    {
        await _stream.WriteAsync(lines);
        _stream.Flush(flushToDisk: true);
        Interlocked.Add(ref _appended, records);
    }

    /// <summary>A record of this segment is in audit.decision (or audit.quarantine); called by the chain writers.</summary>
    public void MarkWritten()
    {
        Interlocked.Increment(ref _written);
        DeleteIfDone();
    }

    /// <summary>No more appends: the file is closed, and deleted at once if everything in it is written.</summary>
    internal void Close()
    {
        _stream.Dispose();
        _closed = true;
        DeleteIfDone();
    }

    private void DeleteIfDone()
    {
        if (_closed && Volatile.Read(ref _written) >= Appended)
        {
            File.Delete(Path); // a second delete of a deleted file does nothing
        }
    }
}
