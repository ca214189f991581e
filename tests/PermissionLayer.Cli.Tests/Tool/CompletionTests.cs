using System.Diagnostics;

namespace PermissionLayer.Cli.Tests.Tool;

/// <summary>
/// <c>plctl completion bash|zsh</c> is generated from the command tree: every command <c>--help</c>
/// lists is in it, and bash, given the script, really completes plctl's words.
/// </summary>
public sealed class CompletionTests
{
    [Fact]
    public async Task Bash_completes_the_top_level_commands_that_help_lists()
    {
        var commands = await HelpCommandsAsync();
        Assert.Contains("scopes", commands);
        Assert.Contains("audit", commands);
        Assert.Contains("completion", commands);
        var offered = await BashCompleteAsync("plctl", "");
        Assert.Superset(commands.ToHashSet(), offered.ToHashSet());
        Assert.Contains("--server", offered);
        Assert.Contains("--version", offered);
    }

    [Fact]
    public async Task Bash_completes_subcommands_and_their_options()
    {
        Assert.Equal(new[] { "scopes" }, await BashCompleteAsync("plctl", "sc"));
        Assert.Contains("check", await BashCompleteAsync("plctl scopes", ""));
        var auditCommands = await HelpCommandsAsync("audit");
        Assert.NotEmpty(auditCommands);
        Assert.Superset(auditCommands.ToHashSet(), (await BashCompleteAsync("plctl audit", "")).ToHashSet());
        // An option of the command itself, and --server, which every command inherits from the root.
        Assert.Equal(new[] { "--actions" }, await BashCompleteAsync("plctl grant", "--ac"));
        Assert.Contains("--server", await BashCompleteAsync("plctl grant", "--"));
        // An argument's fixed values.
        Assert.Equal(new[] { "bash", "zsh" }, (await BashCompleteAsync("plctl completion", "")).Where(w => !w.StartsWith('-')));
        // Not the root's own --version under a subcommand: the parser would not accept it there.
        Assert.DoesNotContain("--version", await BashCompleteAsync("plctl grant", "--"));
    }

    [Fact]
    public async Task Zsh_script_describes_every_command()
    {
        var (exitCode, script, error) = await Plctl.RunAsync("", "completion", "zsh");
        Assert.True(exitCode == 0, error);
        Assert.StartsWith("#compdef plctl", script, StringComparison.Ordinal);
        foreach (var command in await HelpCommandsAsync())
        {
            Assert.Contains($"'plctl {command}')", script, StringComparison.Ordinal);
        }
        Assert.Contains("'plctl scopes check')", script, StringComparison.Ordinal);
        if (File.Exists("/usr/bin/zsh") || File.Exists("/bin/zsh"))
        {
            var (zshExit, zshError) = await ShellAsync("zsh", "-n", script);
            Assert.True(zshExit == 0, zshError);
        }
    }

    [Fact]
    public async Task An_unknown_shell_is_refused()
    {
        var (exitCode, output, _) = await Plctl.RunAsync("", "completion", "fish");
        Assert.NotEqual(0, exitCode);
        Assert.DoesNotContain("complete", output, StringComparison.Ordinal);
    }

    /// <summary>The command names in the "Commands:" section of <c>plctl [command] --help</c>.</summary>
    private static async Task<List<string>> HelpCommandsAsync(params string[] command)
    {
        var (exitCode, help, error) = await Plctl.RunAsync("", [.. command, "--help"]);
        Assert.True(exitCode == 0, error);
        return [.. help.Split('\n').SkipWhile(l => l.Trim() != "Commands:").Skip(1).TakeWhile(l => l.Trim().Length > 0)
            .Select(l => l.Trim().Split(' ', ',')[0])];
    }

    /// <summary>What bash offers for the word <paramref name="current"/> after <paramref name="line"/>, with the script loaded.</summary>
    private static async Task<List<string>> BashCompleteAsync(string line, string current)
    {
        var (exitCode, script, error) = await Plctl.RunAsync("", "completion", "bash");
        Assert.True(exitCode == 0, error);
        var file = Path.Combine(Path.GetTempPath(), $"plctl-completion-{Guid.NewGuid():N}.bash");
        await File.WriteAllTextAsync(file, script);
        try
        {
            var words = line.Split(' ').Append(current).Select(w => $"'{w}'");
            var probe = $"source '{file}'; COMP_WORDS=({string.Join(' ', words)}); COMP_CWORD={line.Split(' ').Length}; _plctl; printf '%s\\n' \"${{COMPREPLY[@]}}\"";
            var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(probe);
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            var stderr = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0 && stderr.Length == 0, $"bash: {stderr}");
            return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<(int ExitCode, string Error)> ShellAsync(string shell, string flag, string script)
    {
        var file = Path.Combine(Path.GetTempPath(), $"plctl-completion-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(file, script);
        try
        {
            var start = new ProcessStartInfo(shell) { RedirectStandardError = true };
            start.ArgumentList.Add(flag);
            start.ArgumentList.Add(file);
            using var process = Process.Start(start)!;
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, error);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
