using System.Security.Cryptography;
using PermissionLayer.Core.Audit;

namespace PermissionLayer.Storage.Audit;

/// <summary>
/// The tamper-evidence rule: a row's hash is SHA-256 over its canonical content and the previous
/// row's hash. Canonical means every field in a fixed order, length-prefixed, nulls distinct from
/// empty strings, so no two different rows encode the same bytes (<see cref="CanonicalRow"/>).
/// </summary>
public static class AuditChain
{
    /// <summary>The "previous hash" of a writer's first row.</summary>
    public static byte[] Genesis => new byte[32];

    public static byte[] Hash(AuditedDecision d, Guid writerId, long sequence, ReadOnlySpan<byte> previousHash)
    {
        // The whole row is encoded into one pooled buffer and hashed in one call: cheaper than
        // feeding an incremental hash field by field, and the same bytes in the same order.
        var row = new CanonicalRow(capacity: 2048);
        try
        {
            row.Add(d.DecisionId);
            row.Add((d.DecidedAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10);
            row.Add(writerId);
            row.Add(sequence);
            row.Add(d.Caller);
            row.Add(d.ClientId);
            row.Add(d.FhirUser);
            row.Add(d.UserOrganization);
            row.Add(d.Patients);
            row.Add(d.Interaction);
            row.Add(d.ResourceType);
            row.Add(d.ResourceId);
            row.Add(d.PurposeOfUse);
            row.Add(d.BreakGlass ? 1 : 0);
            row.Add(d.BreakGlassReason);
            row.Add(d.Jti);
            row.Add(d.Outcome);
            row.Add(d.DecidingTerm);
            row.Add(d.ReasonsJson);
            row.Add(d.Consents);
            row.Add(d.Revision);
            row.Add(d.LatencyMicroseconds);
            if (d.OriginalValues is not null)
            {
                // Only rows whose values had to be bounded carry it, so every other row (and every
                // row written before it existed) hashes exactly as before. Unambiguous all the same:
                // after the fixed fields, either the 32-byte previous hash follows or a length-prefixed string does.
                row.Add(d.OriginalValues);
            }
            row.AddRaw(previousHash);
            return SHA256.HashData(row.Written);
        }
        finally
        {
            row.Dispose();
        }
    }
}
