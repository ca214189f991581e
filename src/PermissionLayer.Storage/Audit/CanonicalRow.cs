using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace PermissionLayer.Storage.Audit;

/// <summary>
/// The canonical bytes of an audit row, written into a pooled buffer that grows as needed: integers
/// as 8 bytes big endian, ids as 16 bytes big endian, a string as its UTF-8 byte count then its bytes
/// (null as count -1), a list as its count then its strings. Growing as it goes keeps the field list
/// in one place (<see cref="AuditChain.Hash"/>) instead of a second one to size the buffer.
/// </summary>
internal ref struct CanonicalRow(int capacity)
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(capacity);
    private int _length;

    public readonly ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public void Add(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(Reserve(sizeof(long)), value);
        _length += sizeof(long);
    }

    public void Add(Guid value)
    {
        value.TryWriteBytes(Reserve(16), bigEndian: true, out var written);
        _length += written;
    }

    public void Add(string? value)
    {
        if (value is null)
        {
            Add(-1L);
            return;
        }
        // The count comes first but is known only once the text is encoded: encode after its slot.
        var slot = Reserve(sizeof(long) + Encoding.UTF8.GetMaxByteCount(value.Length));
        var count = Encoding.UTF8.GetBytes(value, slot[sizeof(long)..]);
        Add((long)count);
        _length += count;
    }

    public void Add(IReadOnlyList<string> values)
    {
        Add((long)values.Count);
        for (var i = 0; i < values.Count; i++) // indexed: no enumerator allocated per list
        {
            Add(values[i]);
        }
    }

    public void AddRaw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Reserve(bytes.Length));
        _length += bytes.Length;
    }

    /// <summary>Returns the buffer to the pool; the row is not used afterwards.</summary>
    public readonly void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);

    /// <summary>The free space after what is written, at least <paramref name="bytes"/> long.</summary>
    private Span<byte> Reserve(int bytes)
    {
        if (_length + bytes > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(2 * _buffer.Length, _length + bytes));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        return _buffer.AsSpan(_length);
    }
}
