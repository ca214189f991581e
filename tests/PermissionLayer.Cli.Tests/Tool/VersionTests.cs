using System.Diagnostics;
using PermissionLayer.Testing;

namespace PermissionLayer.Cli.Tests.Tool;

public sealed class VersionTests
{
    /// <summary>The informational version the build stamped on plctl.dll (version, and the commit where known).</summary>
    internal static string BuiltVersion() =>
        FileVersionInfo.GetVersionInfo(RepositoryLayout.ProjectDll("src", "PermissionLayer.Cli", "plctl")).ProductVersion!;

    [Fact]
    public async Task Version_prints_the_assemblys_informational_version()
    {
        var (exitCode, output, error) = await Plctl.RunAsync("", "--version");
        Assert.True(exitCode == 0, error);
        Assert.Matches(@"^\d+\.\d+\.\d+", BuiltVersion());
        Assert.Equal(BuiltVersion(), output.Trim());
    }
}
