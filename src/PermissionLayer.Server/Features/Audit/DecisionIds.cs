using System.Buffers.Binary;
using System.Security.Cryptography;

namespace PermissionLayer.Server.Features.Audit;

/// <summary>
/// New decision ids: UUID version 7 (RFC 9562) as <see cref="Guid.CreateVersion7()"/> makes them,
/// a millisecond timestamp and 74 random bits from the system's secure generator. The random
/// bytes are drawn for many ids at once: on Linux every <see cref="Guid.NewGuid"/> is a system
/// call, which the profile of a decision showed as a cost of its own.
/// </summary>
internal static class DecisionIds
{
    private const int IdsPerDraw = 64;

    // Per thread, so that drawing needs no lock; the bytes are used once each.
    [ThreadStatic] private static byte[]? t_random;
    [ThreadStatic] private static int t_used;

    public static Guid New() => New(DateTimeOffset.UtcNow);

    internal static Guid New(DateTimeOffset now)
    {
        Span<byte> id = stackalloc byte[16];
        NextRandom(id);
        // Big-endian layout: 48-bit Unix milliseconds, version 7 in the high nibble of byte 6,
        // variant 0b10 in the high bits of byte 8; the rest stays random.
        var milliseconds = now.ToUnixTimeMilliseconds();
        BinaryPrimitives.WriteUInt16BigEndian(id, (ushort)(milliseconds >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(id[2..], (uint)milliseconds);
        id[6] = (byte)(0x70 | (id[6] & 0x0F));
        id[8] = (byte)(0x80 | (id[8] & 0x3F));
        return new Guid(id, bigEndian: true);
    }

    private static void NextRandom(Span<byte> destination)
    {
        var random = t_random ??= new byte[IdsPerDraw * 16];
        if (t_used == 0 || t_used == random.Length)
        {
            RandomNumberGenerator.Fill(random);
            t_used = 0;
        }
        random.AsSpan(t_used, destination.Length).CopyTo(destination);
        t_used += destination.Length;
    }
}
