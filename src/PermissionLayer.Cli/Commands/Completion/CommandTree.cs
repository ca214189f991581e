using System.CommandLine;
using System.CommandLine.Completions;

namespace PermissionLayer.Cli.Commands.Completion;

/// <summary>
/// Walks plctl's real command tree, so that the completion scripts offer exactly the commands and
/// options the parser accepts (a new command is completed without anyone editing a script).
/// </summary>
internal static class CommandTree
{
    public static IReadOnlyList<CompletionNode> Nodes(RootCommand root)
    {
        var nodes = new List<CompletionNode>();
        Walk(root, "plctl", [], nodes);
        return nodes;
    }

    private static void Walk(Command command, string path, IReadOnlyList<Option> inherited, List<CompletionNode> nodes)
    {
        var options = inherited.Concat(command.Options).Where(o => !o.Hidden).Distinct().ToList();
        var subcommands = command.Subcommands.Where(c => !c.Hidden).ToList();
        nodes.Add(new CompletionNode(
            path,
            [.. subcommands.SelectMany(c => Names(c.Name, c.Aliases).Select(n => (n, FirstLine(c.Description))))],
            [.. options.SelectMany(o => Names(o.Name, o.Aliases).Where(Completable).Select(n => (n, FirstLine(o.Description))))],
            [.. command.Arguments.Where(a => !a.Hidden).SelectMany(a => a.GetCompletions(CompletionContext.Empty)).Select(c => c.Label).Distinct()]));
        // What the children inherit: recursive options only (--server, --api-key), not e.g. --version.
        var passedOn = options.Where(o => o.Recursive).ToList();
        foreach (var subcommand in subcommands)
        {
            Walk(subcommand, $"{path} {subcommand.Name}", passedOn, nodes);
        }
    }

    /// <summary>Dash names only: help's <c>/?</c> and <c>-?</c> would be glob patterns to the shell.</summary>
    private static bool Completable(string name) => name.StartsWith('-') && !name.Contains('?', StringComparison.Ordinal);

    private static IEnumerable<string> Names(string name, IEnumerable<string> aliases) => new[] { name }.Concat(aliases).Distinct();

    private static string FirstLine(string? description)
    {
        var line = (description ?? "").Split('\n', 2)[0].Trim();
        return line.Length <= 100 ? line : line[..97] + "...";
    }
}
