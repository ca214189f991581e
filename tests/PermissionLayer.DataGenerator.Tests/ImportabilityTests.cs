using PermissionLayer.Core.Imports;
using PermissionLayer.Fhir.Consents;
using PermissionLayer.Fhir.Imports;

namespace PermissionLayer.DataGenerator.Tests;

/// <summary>
/// Every generated FHIR line is read by the service's own importer (strict parsing, modifier guard,
/// periods) and every Consent compiles: a data set the importer rejects would measure nothing.
/// </summary>
public sealed class ImportabilityTests
{
    [Fact]
    public async Task Every_generated_resource_is_importable_and_every_consent_compiles()
    {
        var folder = TinyNetwork.Generate(TinyNetwork.Size());
        try
        {
            var reader = new FhirImportReader();
            var kinds = new Dictionary<string, int>();
            foreach (var file in Directory.GetFiles(Path.Combine(folder, "fhir"), "*.ndjson"))
            {
                var lines = File.ReadLines(file).Count();
                var facts = new List<ImportedFact>();
                using (var text = File.OpenText(file))
                {
                    await foreach (var fact in reader.ReadNdjsonAsync(text))
                    {
                        facts.Add(fact);
                    }
                }
                Assert.Equal(lines, facts.Count);
                kinds[Path.GetFileName(file)] = facts.Count;
            }
            Assert.Equal(200, kinds["consents.ndjson"]);
            Assert.Equal(40, kinds["panels.ndjson"]);
            var consents = File.ReadLines(Path.Combine(folder, "fhir/consents.ndjson")).Select(ConsentCompiler.Compile).ToList();
            Assert.All(consents, c => Assert.NotEmpty(c.Root.Children));
            // Nested provisions: some consents carry a provision inside a provision.
            Assert.Contains(consents, c => c.Root.Children.Any(child => child.Children.Count > 0));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
