using System.Diagnostics;
using PermissionLayer.Testing;

namespace PermissionLayer.Cli.Tests;

/// <summary>Runs the built plctl as a process, feeding standard input and capturing output.</summary>
internal static class Plctl
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string input, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(RepositoryLayout.ProjectDll("src", "PermissionLayer.Cli", "plctl"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
