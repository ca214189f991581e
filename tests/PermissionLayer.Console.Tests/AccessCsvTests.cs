using PermissionLayer.Server.Features.Console;
using PermissionLayer.Storage.Audit;

namespace PermissionLayer.Console.Tests;

/// <summary>The export's CSV cells and the chart's bars, as pure functions.</summary>
public sealed class AccessCsvTests
{
    [Theory]
    [InlineData("Practitioner/x", "Practitioner/x")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("line\nbreak", "\"line\nbreak\"")]
    // A value a spreadsheet would run as a formula is made text.
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("", "")]
    public void Cells_are_quoted_as_RFC_4180_and_formulas_are_defused(string value, string cell) =>
        Assert.Equal(cell, AccessCsv.Cell(value));

    [Fact]
    public void The_chart_has_one_bar_pair_per_day_titled_with_its_counts_and_the_total()
    {
        var first = new DateOnly(2026, 11, 1);
        var svg = DailyChart.Svg([new(first, "permit", 3), new(first.AddDays(2), "deny", 1), new(first.AddDays(40), "deny", 9)], first, 30);
        Assert.Equal(60, svg.Split("<rect ").Length - 1);
        Assert.Contains("2026-11-01: 3 permitted, 0 denied", svg);
        Assert.Contains("2026-11-03: 0 permitted, 1 denied", svg);
        Assert.Contains("4 in all", svg); // the days shown only
        Assert.StartsWith("<svg", svg);
    }
}
