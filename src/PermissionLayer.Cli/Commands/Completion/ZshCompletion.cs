using System.Text;

namespace PermissionLayer.Cli.Commands.Completion;

/// <summary>
/// The zsh completion script, with each command's and option's description: installed as
/// <c>_plctl</c> on <c>$fpath</c>, or sourced after <c>compinit</c>.
/// </summary>
internal static class ZshCompletion
{
    public static string Script(IReadOnlyList<CompletionNode> nodes)
    {
        var script = new StringBuilder();
        script.AppendLine("#compdef plctl");
        script.AppendLine("# zsh completion for plctl, generated from its command tree by `plctl completion zsh`.");
        script.AppendLine("# Install:  plctl completion zsh > \"${fpath[1]}/_plctl\"   (then start a new shell)");
        script.AppendLine("# or, after compinit:  source <(plctl completion zsh)");
        script.AppendLine("_plctl() {");
        script.AppendLine("  local cmd_path=plctl word i");
        script.AppendLine("  local -a subcommands options values");
        script.AppendLine("  for (( i = 2; i < CURRENT; i++ )); do");
        script.AppendLine("    word=${words[i]}");
        script.AppendLine("    case \"$cmd_path $word\" in");
        var paths = nodes.Skip(1).Select(n => Quote(n.Path)).ToList();
        if (paths.Count > 0)
        {
            script.AppendLine($"      {string.Join('|', paths)}) cmd_path=\"$cmd_path $word\" ;;");
        }
        script.AppendLine("    esac");
        script.AppendLine("  done");
        script.AppendLine("  case \"$cmd_path\" in");
        foreach (var node in nodes)
        {
            script.AppendLine($"    {Quote(node.Path)})");
            script.AppendLine($"      subcommands=({string.Join(' ', node.Subcommands.Select(Entry))})");
            script.AppendLine($"      options=({string.Join(' ', node.Options.Select(Entry))})");
            script.AppendLine($"      values=({string.Join(' ', node.Values.Select(Quote))})");
            script.AppendLine("      ;;");
        }
        script.AppendLine("  esac");
        script.AppendLine("  _describe -t commands 'plctl command' subcommands");
        script.AppendLine("  _describe -t options 'option' options");
        script.AppendLine("  (( ${#values} )) && compadd -a values");
        script.AppendLine("  _files");
        script.AppendLine("}");
        script.AppendLine("if [[ \"${funcstack[1]}\" == _plctl ]]; then _plctl \"$@\"; else compdef _plctl plctl; fi");
        return script.ToString();
    }

    /// <summary><c>name:description</c> for _describe (a colon in the name would end it, so it is escaped).</summary>
    private static string Entry((string Name, string Description) item) =>
        Quote(item.Name.Replace(":", "\\:", StringComparison.Ordinal) + ":" + item.Description);

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
