namespace PermissionLayer.Cli.Commands.Completion;

/// <summary>One command of plctl as a shell completes it: its path from the root, what may follow it.</summary>
/// <param name="Path">The words that name it, the executable first: <c>plctl scopes check</c>.</param>
/// <param name="Subcommands">Name and one-line description of each visible subcommand.</param>
/// <param name="Options">Each visible option's names (aliases included) with its description, its ancestors' recursive ones too.</param>
/// <param name="Values">The values its arguments accept where they are a fixed list (<c>completion bash|zsh</c>).</param>
internal sealed record CompletionNode(
    string Path,
    IReadOnlyList<(string Name, string Description)> Subcommands,
    IReadOnlyList<(string Name, string Description)> Options,
    IReadOnlyList<string> Values);
