using PermissionLayer.Storage.Audit;
using PermissionLayer.Testing.Audit;

namespace PermissionLayer.Storage.Tests.Audit;

/// <summary>
/// The chain hash never changes: rows already written were hashed by the first implementation
/// (<see cref="ReferenceAuditChain"/>) and the verifier recomputes their hashes with the current one.
/// </summary>
public sealed class AuditChainHashTests
{
    private static readonly Guid WriterId = Guid.Parse("0193a1b2-0000-7000-8000-00000000abcd");

    public static TheoryData<int> RowIndexes => [.. Enumerable.Range(0, AuditSamples.Rows().Count())];

    [Theory]
    [MemberData(nameof(RowIndexes))]
    public void Hash_equals_the_first_implementations_hash(int index)
    {
        var row = AuditSamples.Rows().ElementAt(index);
        byte[][] previousHashes = [AuditChain.Genesis, [.. Enumerable.Range(1, 32).Select(i => (byte)(i * 7))], []];
        foreach (var previous in previousHashes)
        {
            foreach (var sequence in new long[] { 1, 42, long.MaxValue })
            {
                Assert.Equal(ReferenceAuditChain.Hash(row, WriterId, sequence, previous), AuditChain.Hash(row, WriterId, sequence, previous));
            }
        }
    }

    [Fact]
    public void Hash_of_a_known_row_is_pinned()
    {
        // Computed once by the first implementation (and by hand from the rule): catches a change to the reference copy too.
        var row = AuditSamples.Rows().First() with { ReasonsJson = """[{"term":"user","outcome":"permit","code":"user.grant","message":"a \u0027grant\u0027 \u2192 ok","source":null}]""" };
        Assert.Equal(PinnedHash, Convert.ToHexStringLower(AuditChain.Hash(row, WriterId, 7, AuditChain.Genesis)));
    }

    [Fact]
    public void A_chain_of_rows_hashes_as_the_first_implementation_did()
    {
        var previous = AuditChain.Genesis;
        var reference = AuditChain.Genesis;
        long sequence = 0;
        foreach (var row in AuditSamples.Rows())
        {
            sequence++;
            previous = AuditChain.Hash(row, WriterId, sequence, previous);
            reference = ReferenceAuditChain.Hash(row, WriterId, sequence, reference);
            Assert.Equal(reference, previous);
        }
    }

    private const string PinnedHash = "aff6b431891d68c7dc51e5694b581300d56264d313ee3f447962b616b53d8e9e";
}
