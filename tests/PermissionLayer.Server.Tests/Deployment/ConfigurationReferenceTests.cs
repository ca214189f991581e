using System.Text.RegularExpressions;
using PermissionLayer.Testing;

namespace PermissionLayer.Server.Tests.Deployment;

/// <summary>
/// The README's configuration table cannot drift from the options classes: every setting has a
/// row, every row names settings that exist, and the defaults it states are the real ones.
/// </summary>
public sealed partial class ConfigurationReferenceTests
{
    [Fact]
    public void Every_setting_has_a_readme_row_and_every_row_names_a_setting()
    {
        var documented = ReadmeRows().SelectMany(r => r.Keys).ToHashSet(StringComparer.Ordinal);
        var missing = ServerSettings.All.Keys.Where(k => !documented.Contains(k)).Order().ToList();
        var unknown = documented.Where(k => !ServerSettings.All.ContainsKey(k)).Order().ToList();
        Assert.True(missing.Count == 0, "settings without a row in README.md ## Configuration: " + string.Join(", ", missing));
        Assert.True(unknown.Count == 0, "README.md ## Configuration rows that name no setting: " + string.Join(", ", unknown));
    }

    [Fact]
    public void The_defaults_in_the_readme_are_the_real_ones()
    {
        var wrong = new List<string>();
        foreach (var row in ReadmeRows())
        {
            // "`2`, `2`, `2`" for three settings; one value for several means each has it.
            var values = row.Defaults.Count == 1 ? [.. row.Keys.Select(_ => row.Defaults[0])] : row.Defaults;
            Assert.True(values.Count == row.Keys.Count, $"row {string.Join(", ", row.Keys)}: {row.Keys.Count} settings, {row.Defaults.Count} defaults");
            foreach (var (key, stated) in row.Keys.Zip(values))
            {
                if (ServerSettings.All.TryGetValue(key, out var setting) && setting.Default != stated)
                {
                    wrong.Add($"{key}: README says '{stated}', the code '{setting.Default}'");
                }
            }
        }
        Assert.True(wrong.Count == 0, string.Join("; ", wrong));
    }

    [Fact]
    public void The_table_is_found_and_has_rows()
    {
        // Guards the two tests above against passing on a table the parser no longer finds.
        Assert.True(ReadmeRows().Count >= 20);
    }

    private sealed record Row(IReadOnlyList<string> Keys, IReadOnlyList<string> Defaults);

    /// <summary>The rows of the first table under "## Configuration": settings, then defaults ("—": none).</summary>
    private static List<Row> ReadmeRows()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryLayout.Root, "README.md"));
        var start = Array.IndexOf(lines, "## Configuration");
        Assert.True(start >= 0, "README.md has no '## Configuration' section");
        var rows = new List<Row>();
        foreach (var line in lines.Skip(start + 1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).Skip(2))
        {
            var cells = line.Split('|');
            var keys = Code().Matches(cells[1]).Select(m => m.Groups[1].Value).ToList();
            var defaults = cells[2].Trim().StartsWith('—') ? [""] : Code().Matches(cells[2]).Select(m => m.Groups[1].Value).ToList();
            Assert.True(keys.Count > 0, $"README.md configuration row without a setting: {line}");
            rows.Add(new Row(keys, defaults));
        }
        return rows;
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Code();
}
