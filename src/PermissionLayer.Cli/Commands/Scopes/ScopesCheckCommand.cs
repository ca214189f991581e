using System.CommandLine;
using System.Text.Json;
using PermissionLayer.Core.Scopes;
using PermissionLayer.Fhir.Resources;

namespace PermissionLayer.Cli.Commands.Scopes;

/// <summary>
/// <c>plctl scopes check</c>: evaluates the SMART scope term offline, one JSON request per input line,
/// one JSON answer per output line. How an integrator debugs a token without a server.
/// </summary>
internal static class ScopesCheckCommand
{
    public static Command Create()
    {
        var command = new Command("check", """
            Evaluate SMART scopes offline. Reads JSON Lines on standard input, one request per line:
              {"id","scopes","patient"?,"interaction","conditional"?,"resourceType","resource"?,"newResource"?,"query"?}
            resource/newResource: {"patients":[ids],"attributes":{"category":[..],"code":[..],"_tag":[..],"_security":[..]}}
                                  or {"fhir": <FHIR R4 resource JSON>}
            interaction: read vread history-instance history-type history-system search-type search-system
                         create update patch delete
            Writes one line per request: {"id","outcome":"permit"|"deny"|"error","reason","filter"?}.
            """);
        command.SetAction(async (_, cancellationToken) => await RunAsync(Console.In, Console.Out, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        var parser = new ScopeParser(R4ResourceTypes.Instance);
        while (await input.ReadLineAsync(cancellationToken) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            await output.WriteLineAsync(Answer(parser, line));
        }
        await output.FlushAsync(cancellationToken);
        return 0;
    }

    private static string Answer(ScopeParser parser, string line)
    {
        var id = "";
        try
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return ScopeCheckAnswer.Error(id, "each line must be a JSON object");
            }
            // The id first, so that even a line that fails to parse is answered under its id.
            if (document.RootElement.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String)
            {
                id = idElement.GetString()!;
            }
            var (_, scopes, request) = ScopeCheckLine.Parse(document.RootElement);
            return ScopeCheckAnswer.Of(id, ScopeEvaluator.Evaluate(parser.Parse(scopes), request));
        }
        catch (Exception e) when (e is JsonException or FormatException or ScopeFormatException)
        {
            return ScopeCheckAnswer.Error(id, e.Message);
        }
        catch (InvalidOperationException)
        {
            // JSON may escape a lone surrogate (\ud800), which no string can carry on: this line is bad,
            // the next ones are still answered. Its id cannot be repeated either.
            return ScopeCheckAnswer.Error("", "the line contains an escaped lone surrogate, which is not text");
        }
    }
}
