using System.Text;

namespace PermissionLayer.Cli.Commands.Completion;

/// <summary>The bash completion script (<c>source &lt;(plctl completion bash)</c>).</summary>
internal static class BashCompletion
{
    public static string Script(IReadOnlyList<CompletionNode> nodes)
    {
        var script = new StringBuilder();
        script.AppendLine("# bash completion for plctl, generated from its command tree by `plctl completion bash`.");
        script.AppendLine("# Load it in the current shell:   source <(plctl completion bash)");
        script.AppendLine("# or for every shell:             plctl completion bash > ~/.local/share/bash-completion/completions/plctl");
        script.AppendLine("_plctl() {");
        script.AppendLine("    local cur=\"${COMP_WORDS[COMP_CWORD]}\" cmd_path=plctl word i words=''");
        script.AppendLine("    # The command being completed: the words so far that name subcommands, in order.");
        script.AppendLine("    for ((i = 1; i < COMP_CWORD; i++)); do");
        script.AppendLine("        word=\"${COMP_WORDS[i]}\"");
        script.AppendLine("        case \"$cmd_path $word\" in");
        var paths = nodes.Skip(1).Select(n => Quote(n.Path)).ToList();
        if (paths.Count > 0)
        {
            script.AppendLine($"            {string.Join('|', paths)}) cmd_path=\"$cmd_path $word\" ;;");
        }
        script.AppendLine("        esac");
        script.AppendLine("    done");
        script.AppendLine("    case \"$cmd_path\" in");
        foreach (var node in nodes)
        {
            var words = node.Subcommands.Select(s => s.Name).Concat(node.Values).Concat(node.Options.Select(o => o.Name));
            script.AppendLine($"        {Quote(node.Path)}) words={Quote(string.Join(' ', words))} ;;");
        }
        script.AppendLine("    esac");
        script.AppendLine("    # Arguments (ids, files) are not known here: no match falls back to file names (-o default).");
        script.AppendLine("    COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))");
        script.AppendLine("}");
        script.AppendLine("complete -o default -F _plctl plctl");
        return script.ToString();
    }

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
