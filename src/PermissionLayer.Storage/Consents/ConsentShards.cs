using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace PermissionLayer.Storage.Consents;

/// <summary>
/// Which of the consent registry's shards holds a patient: the first 31 bits of the MD5 of the patient
/// id's UTF-8 bytes, modulo the number of shards. MD5 because PostgreSQL computes the same function in
/// the query a shard loads with (<see cref="ConsentStore.LoadShardAsync"/>), so a shard reads only its
/// own rows and the grains route a patient to the shard that loaded it; it spreads, it protects nothing.
/// </summary>
public static class ConsentShards
{
    public static int Of(string patientId, int shards)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        Span<byte> digest = stackalloc byte[MD5.HashSizeInBytes];
        // FHIR ids are at most 64 characters: encode on the stack; anything longer the ordinary way.
        var length = Encoding.UTF8.GetMaxByteCount(patientId.Length);
        Span<byte> utf8 = length <= 256 ? stackalloc byte[length] : new byte[length];
        MD5.HashData(utf8[..Encoding.UTF8.GetBytes(patientId, utf8)], digest);
        return (int)((BinaryPrimitives.ReadUInt32BigEndian(digest) & 0x7fffffffu) % (uint)shards);
    }
}
