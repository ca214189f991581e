using System.Diagnostics;
using PermissionLayer.Testing;

namespace PermissionLayer.Cli.Tests.Tool;

/// <summary>
/// plctl as operators get it: packed as a .NET tool, installed from a local folder with
/// <c>dotnet tool install --add-source</c>, run as <c>plctl</c>. Packs the already built output
/// (<c>--no-build</c>) and installs with no other package source, so it is quick and offline.
/// </summary>
public sealed class PlctlToolTests
{
    [Fact]
    public async Task Packed_tool_installs_and_runs_as_plctl()
    {
        var work = Directory.CreateTempSubdirectory("plctl-tool-");
        try
        {
            var packages = Path.Combine(work.FullName, "packages");
            var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
            await DotnetAsync(work.FullName, "pack", Path.Combine(RepositoryLayout.Root, "src", "PermissionLayer.Cli"),
                "-c", configuration, "--no-build", "-o", packages);
            Assert.Single(Directory.GetFiles(packages, "PermissionLayer.Cli.*.nupkg"));

            // Only the local folder as a source, and a package cache of its own: the install can
            // neither reach a registry nor pick up a plctl cached by an earlier run.
            var config = Path.Combine(work.FullName, "nuget.config");
            await File.WriteAllTextAsync(config, "<configuration><packageSources><clear /></packageSources></configuration>");
            var tools = Path.Combine(work.FullName, "tools");
            await DotnetAsync(work.FullName, "tool", "install", "PermissionLayer.Cli",
                "--tool-path", tools, "--add-source", packages, "--configfile", config);

            var (exitCode, output) = await RunAsync(work.FullName, Path.Combine(tools, "plctl"), "--version");
            Assert.Equal(0, exitCode);
            Assert.Equal(VersionTests.BuiltVersion(), output.Trim());
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task DotnetAsync(string work, params string[] arguments)
    {
        var (exitCode, output) = await RunAsync(work, "dotnet", arguments);
        Assert.True(exitCode == 0, $"dotnet {string.Join(' ', arguments)} exited {exitCode}:\n{output}");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string work, string executable, params string[] arguments)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = work,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["NUGET_PACKAGES"] = Path.Combine(work, "nuget-cache");
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        // The tool's launcher finds the runtime this test runs on.
        start.Environment["DOTNET_ROOT"] = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
