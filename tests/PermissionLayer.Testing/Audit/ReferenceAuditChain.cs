using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using PermissionLayer.Core.Audit;

namespace PermissionLayer.Testing.Audit;

/// <summary>
/// The chain hash as it was first written (an incremental hash fed field by field). Existing chains
/// were hashed with it, so the production rule must keep agreeing with it; the benchmarks compare
/// against it too.
/// </summary>
public static class ReferenceAuditChain
{
    public static byte[] Hash(AuditedDecision d, Guid writerId, long sequence, ReadOnlySpan<byte> previousHash)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Add(hash, d.DecisionId);
        Add(hash, (d.DecidedAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10);
        Add(hash, writerId);
        Add(hash, sequence);
        Add(hash, d.Caller);
        Add(hash, d.ClientId);
        Add(hash, d.FhirUser);
        Add(hash, d.UserOrganization);
        Add(hash, d.Patients);
        Add(hash, d.Interaction);
        Add(hash, d.ResourceType);
        Add(hash, d.ResourceId);
        Add(hash, d.PurposeOfUse);
        Add(hash, d.BreakGlass ? 1 : 0);
        Add(hash, d.BreakGlassReason);
        Add(hash, d.Jti);
        Add(hash, d.Outcome);
        Add(hash, d.DecidingTerm);
        Add(hash, d.ReasonsJson);
        Add(hash, d.Consents);
        Add(hash, d.Revision);
        Add(hash, d.LatencyMicroseconds);
        hash.AppendData(previousHash);
        return hash.GetHashAndReset();
    }

    private static void Add(IncrementalHash hash, long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        hash.AppendData(bytes);
    }

    private static void Add(IncrementalHash hash, Guid value) => hash.AppendData(value.ToByteArray(bigEndian: true));

    private static void Add(IncrementalHash hash, string? value)
    {
        if (value is null)
        {
            Add(hash, -1L);
            return;
        }
        var bytes = Encoding.UTF8.GetBytes(value);
        Add(hash, bytes.LongLength);
        hash.AppendData(bytes);
    }

    private static void Add(IncrementalHash hash, IReadOnlyList<string> values)
    {
        Add(hash, (long)values.Count);
        foreach (var value in values)
        {
            Add(hash, value);
        }
    }
}
