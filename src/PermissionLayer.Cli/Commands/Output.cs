using System.CommandLine;
using Google.Protobuf;

namespace PermissionLayer.Cli.Commands;

/// <summary><c>--output json|table</c>: JSON (one object per line) for scripts, an aligned table for people.</summary>
internal static class Output
{
    public static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(false));

    public static Option<string> Option() => new("--output", "-o")
    {
        Description = "json (one object per line, for scripts) or table (for people)",
        DefaultValueFactory = _ => "table",
        Validators = { result =>
        {
            if (result.GetValueOrDefault<string>() is not ("json" or "table"))
            {
                result.AddError("--output must be json or table");
            }
        } },
    };

    /// <summary>Prints rows as JSON lines or as a table with the given columns.</summary>
    public static void Rows<T>(string format, IReadOnlyList<T> rows, params (string Header, Func<T, string> Value)[] columns) where T : IMessage
    {
        if (format == "json")
        {
            foreach (var row in rows)
            {
                Console.WriteLine(Json.Format(row));
            }
            return;
        }
        var widths = columns.Select(c => rows.Select(r => c.Value(r).Length).Append(c.Header.Length).Max()).ToArray();
        Console.WriteLine(string.Join("  ", columns.Select((c, i) => c.Header.PadRight(widths[i]))).TrimEnd());
        foreach (var row in rows)
        {
            Console.WriteLine(string.Join("  ", columns.Select((c, i) => c.Value(row).PadRight(widths[i]))).TrimEnd());
        }
    }
}
