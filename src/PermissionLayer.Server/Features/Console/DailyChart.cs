using System.Globalization;
using System.Net;
using System.Text;
using PermissionLayer.Storage.Audit;

namespace PermissionLayer.Server.Features.Console;

/// <summary>
/// A patient's decisions per day by outcome as an inline SVG bar chart, drawn on the server so that
/// it needs no script. Each day is a stacked bar (permits below, denies above) with a tooltip title;
/// the same numbers are in the table beside it for screen readers.
/// </summary>
public static class DailyChart
{
    private const int BarWidth = 14;
    private const int Gap = 4;
    private const int Height = 120;
    private const int Bottom = 20;

    public static string Svg(IReadOnlyList<DailyOutcomeCount> counts, DateOnly firstDay, int days)
    {
        var byDay = counts.ToLookup(c => c.Day);
        long Count(DateOnly day, string outcome) => byDay[day].Where(c => c.Outcome == outcome).Sum(c => c.Count);
        var shown = Enumerable.Range(0, days).Select(i => firstDay.AddDays(i)).ToList();
        var max = Math.Max(1, shown.Max(d => Count(d, "permit") + Count(d, "deny")));
        var width = days * (BarWidth + Gap) + Gap;
        var total = shown.Sum(d => Count(d, "permit") + Count(d, "deny"));
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"""<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-title" width="{width}" height="{Height + Bottom}" viewBox="0 0 {width} {Height + Bottom}">""");
        svg.Append(CultureInfo.InvariantCulture,
            $"""<title id="chart-title">Decisions per day from {firstDay:yyyy-MM-dd}, {days} days: {total} in all</title>""");
        for (var i = 0; i < days; i++)
        {
            var day = firstDay.AddDays(i);
            var permits = Count(day, "permit");
            var denies = Count(day, "deny");
            var x = Gap + i * (BarWidth + Gap);
            var permitHeight = (int)Math.Round((double)permits / max * Height);
            var denyHeight = (int)Math.Round((double)denies / max * Height);
            var label = WebUtility.HtmlEncode($"{day:yyyy-MM-dd}: {permits} permitted, {denies} denied");
            svg.Append(CultureInfo.InvariantCulture, $"""<g><title>{label}</title>""");
            svg.Append(CultureInfo.InvariantCulture,
                $"""<rect x="{x}" y="{Height - permitHeight}" width="{BarWidth}" height="{permitHeight}" fill="#1b6e3a"/>""");
            svg.Append(CultureInfo.InvariantCulture,
                $"""<rect x="{x}" y="{Height - permitHeight - denyHeight}" width="{BarWidth}" height="{denyHeight}" fill="#a4161a"/></g>""");
            if (i % 7 == 0)
            {
                svg.Append(CultureInfo.InvariantCulture,
                    $"""<text x="{x}" y="{Height + 14}" font-size="10" fill="#222">{day:MM-dd}</text>""");
            }
        }
        svg.Append(CultureInfo.InvariantCulture, $"""<line x1="0" y1="{Height}" x2="{width}" y2="{Height}" stroke="#222"/></svg>""");
        return svg.ToString();
    }
}
