using System.Text;
using PermissionLayer.Contracts.V1;

namespace PermissionLayer.Server.Features.Console;

/// <summary>
/// A patient's accesses as CSV (RFC 4180), one row per access report entry. A cell a spreadsheet
/// would read as a formula (starting with = + - @ or a tab) is prefixed with an apostrophe, since a
/// user id or purpose comes from callers and the file is opened by people; a cell holding any
/// separator a spreadsheet may split on (, ; tab) or a quote or line break is quoted.
/// </summary>
public static class AccessCsv
{
    public const string Header = "decided_at,who,client_id,what,purpose_of_use,break_glass,break_glass_reason,outcome,explanation,deciding_source,decision_id";

    public static string Row(PatientAccessEntry e) => string.Join(',',
        Cell(e.DecidedAt.ToDateTimeOffset().ToString("O", System.Globalization.CultureInfo.InvariantCulture)), Cell(e.Who), Cell(e.ClientId), Cell(e.What),
        Cell(e.PurposeOfUse), Cell(e.BreakGlass ? "true" : "false"), Cell(e.BreakGlassReason),
        Cell(e.Outcome == Outcome.Permit ? "permit" : "deny"), Cell(e.Explanation), Cell(e.DecidingSource), Cell(e.DecisionId));

    public static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }
        // Quoted also for ';' and a tab: a spreadsheet whose list separator is one of them would
        // otherwise start a new cell mid-value, and that cell could be a formula.
        return value.IndexOfAny([',', ';', '\t', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    public static string Of(IEnumerable<PatientAccessEntry> entries)
    {
        var csv = new StringBuilder(Header).Append("\r\n");
        foreach (var entry in entries)
        {
            csv.Append(Row(entry)).Append("\r\n");
        }
        return csv.ToString();
    }
}
