using System.CommandLine;

namespace PermissionLayer.Cli.Commands.Completion;

/// <summary><c>plctl completion bash|zsh</c>: prints a completion script for the shell.</summary>
internal static class CompletionCommand
{
    public static Command Create(RootCommand root)
    {
        var command = new Command("completion", "Print a shell completion script: source <(plctl completion bash), or zsh.");
        var shell = new Argument<string>("shell") { Description = "bash or zsh" };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        command.Arguments.Add(shell);
        command.SetAction(parse =>
        {
            // Walked when asked, so the script includes every command added to the root, this one too.
            var nodes = CommandTree.Nodes(root);
            Console.Out.Write(parse.GetValue(shell) == "zsh" ? ZshCompletion.Script(nodes) : BashCompletion.Script(nodes));
            return 0;
        });
        return command;
    }
}
