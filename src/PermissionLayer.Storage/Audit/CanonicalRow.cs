using System.Buffers.Binary;
using System.Text;
using PermissionLayer.Core.Audit;

namespace PermissionLayer.Storage.Audit;

/// <summary>
/// The canonical bytes of an audit row, written into a caller's buffer: integers as 8 bytes big
/// endian, ids as 16 bytes big endian, a string as its UTF-8 byte count then its bytes (null as
/// count -1), a list as its count then its strings.
/// </summary>
internal ref struct CanonicalRow(Span<byte> buffer)
{
    private readonly Span<byte> _buffer = buffer;
    private int _length;

    public readonly ReadOnlySpan<byte> Written => _buffer[.._length];

    /// <summary>A bound on the bytes of <paramref name="d"/>'s fields (the previous hash excluded), to size the buffer.</summary>
    public static int MaxLength(AuditedDecision d)
    {
        // Fixed-size fields: two ids, and seven integers (time, sequence, two list counts, break
        // glass, revision, latency).
        var length = 2 * 16 + 7 * sizeof(long);
        foreach (var text in (ReadOnlySpan<string?>)[d.Caller, d.ClientId, d.FhirUser, d.UserOrganization, d.Interaction, d.ResourceType,
                     d.ResourceId, d.PurposeOfUse, d.BreakGlassReason, d.Jti, d.Outcome, d.DecidingTerm, d.ReasonsJson])
        {
            length += MaxLength(text);
        }
        return length + MaxLength(d.Patients) + MaxLength(d.Consents);
    }

    public void Add(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_buffer[_length..], value);
        _length += sizeof(long);
    }

    public void Add(Guid value)
    {
        value.TryWriteBytes(_buffer[_length..], bigEndian: true, out var written);
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
        var count = Encoding.UTF8.GetBytes(value, _buffer[(_length + sizeof(long))..]);
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
        bytes.CopyTo(_buffer[_length..]);
        _length += bytes.Length;
    }

    private static int MaxLength(IReadOnlyList<string> values)
    {
        var length = 0;
        for (var i = 0; i < values.Count; i++)
        {
            length += MaxLength(values[i]);
        }
        return length;
    }

    private static int MaxLength(string? text) => sizeof(long) + (text is null ? 0 : Encoding.UTF8.GetMaxByteCount(text.Length));
}
