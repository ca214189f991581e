using PermissionLayer.DataGenerator.Generation;

namespace PermissionLayer.DataGenerator.Tests;

/// <summary>The data set is a function of its size and seed: figures measured on it can be reproduced.</summary>
public sealed class DeterminismTests
{
    [Fact]
    public void The_same_seed_writes_the_same_bytes_and_another_seed_does_not()
    {
        var first = TinyNetwork.Generate(TinyNetwork.Size());
        var second = TinyNetwork.Generate(TinyNetwork.Size());
        var other = TinyNetwork.Generate(TinyNetwork.Size(seed: 16));
        try
        {
            var files = Directory.GetFiles(first, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(first, f)).Order().ToList();
            Assert.Contains("fhir/consents.ndjson", files);
            Assert.Contains("facts-summary.json", files);
            Assert.Equal(files, Directory.GetFiles(second, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(second, f)).Order());
            foreach (var file in files)
            {
                Assert.True(File.ReadAllBytes(Path.Combine(first, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(second, file))), $"{file} differs between two runs with one seed");
            }
            Assert.False(File.ReadAllBytes(Path.Combine(first, "fhir/panels.ndjson")).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(other, "fhir/panels.ndjson"))));
        }
        finally
        {
            foreach (var folder in new[] { first, second, other })
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public void A_sample_never_repeats_a_position()
    {
        var random = new SeededRandom(7);
        foreach (var (population, count) in new[] { (10L, 10), (1_000L, 999), (1_000_000L, 50_000), (6L, 1) })
        {
            var sample = DistinctSample.Draw(random, population, count);
            var all = sample.All().ToList();
            Assert.Equal(count, all.Distinct().Count());
            Assert.All(all, p => Assert.InRange(p, 0, population - 1));
            Assert.Equal(all[count - 1], sample[count - 1]);
        }
    }
}
