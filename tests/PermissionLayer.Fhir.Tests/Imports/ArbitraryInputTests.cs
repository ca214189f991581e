using CsCheck;
using PermissionLayer.Fhir.Imports;

namespace PermissionLayer.Fhir.Tests.Imports;

/// <summary>Fail closed on any input: the reader either maps it or says why, never crashes otherwise.</summary>
public sealed class ArbitraryInputTests
{
    private static readonly FhirImportReader Reader = new();

    // Mutations of a valid resource reach deeper than random text, which rarely gets past the first brace.
    private static readonly string Valid =
        """{"resourceType":"Group","id":"g1","type":"person","actual":true,"member":[{"entity":{"reference":"Patient/p"},"period":{"start":"2020-01-01"}}]}""";

    private static readonly Gen<string> Inputs = Gen.OneOf(
        Gen.String,
        Gen.String[Gen.Char["{}[]\":,0123456789abcdefgnrtu -/\\"], 0, 80],
        Gen.Int[0, Valid.Length - 1].Select(Gen.Int[0, 8], Gen.String[0, 6], (at, cut, insert) =>
            Valid[..at] + insert + Valid[Math.Min(Valid.Length, at + cut)..]));

    [Fact]
    public void Arbitrary_strings_only_ever_raise_FhirImportException_from_ReadJson()
    {
        Inputs.Sample(input =>
        {
            try
            {
                Reader.ReadJson(input);
            }
            catch (FhirImportException)
            {
            }
        }, iter: 3000);
    }

    [Fact]
    public void Arbitrary_lines_only_ever_raise_FhirImportException_from_ReadNdjsonAsync()
    {
        Gen.String.Array[1, 4].Select(lines => string.Join('\n', lines)).Sample(input =>
        {
            try
            {
                NdjsonTests.ToListAsync(Reader.ReadNdjsonAsync(new StringReader(input))).GetAwaiter().GetResult();
            }
            catch (FhirImportException)
            {
            }
        }, iter: 500);
    }
}
