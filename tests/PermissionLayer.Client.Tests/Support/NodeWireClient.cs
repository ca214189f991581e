using System.Text.Json.Nodes;
using System.Xml.Linq;
using Google.Protobuf;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Testing;

namespace PermissionLayer.Client.Tests.Support;

/// <summary>
/// Runs node/check.mjs: a grpc-js client that loads the repository's .proto files directly. Its
/// node_modules lives next to it (git-ignored) and is installed with <c>npm ci</c> on first use.
/// </summary>
internal static class NodeWireClient
{
    /// <summary>Set to 1 to skip the Node tests on machines without Node.js (never in CI).</summary>
    public const string SkipVariable = "PERMISSIONLAYER_SKIP_NODE";

    private static readonly SemaphoreSlim InstallOnce = new(1, 1);

    public static string ScriptDirectory { get; } = Path.Combine(RepositoryLayout.Root, "tests", "PermissionLayer.Client.Tests", "node");

    /// <summary>Asks for one decision through grpc-js; the response as proto3 JSON (camelCase, enum names).</summary>
    public static async Task<JsonObject> CheckAsync(Uri address, CheckRequest request, string apiKey)
    {
        await EnsureInstalledAsync();
        var run = await ProcessRun.RunAsync("node",
            ["check.mjs", address.ToString(), JsonFormatter.Default.Format(request), GoogleApiProtosDirectory()],
            ScriptDirectory, TimeSpan.FromSeconds(60),
            new Dictionary<string, string> { ["PERMISSIONLAYER_API_KEY"] = apiKey });
        Assert.True(run.ExitCode == 0, $"node check.mjs exited {run.ExitCode}: {run.StandardOutput} {run.StandardError}");
        return JsonNode.Parse(run.StandardOutput)!.AsObject();
    }

    private static async Task EnsureInstalledAsync()
    {
        await InstallOnce.WaitAsync();
        try
        {
            if (Directory.Exists(Path.Combine(ScriptDirectory, "node_modules", "@grpc", "grpc-js")))
            {
                return;
            }
            var npm = await ProcessRun.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], ScriptDirectory, TimeSpan.FromMinutes(5));
            Assert.True(npm.ExitCode == 0, $"npm ci failed: {npm.StandardError}");
        }
        finally
        {
            InstallOnce.Release();
        }
    }

    /// <summary>
    /// google/api/annotations.proto as the .NET build gets it: the Google.Api.CommonProtos package at
    /// the version Directory.Packages.props pins, in the NuGet packages folder.
    /// </summary>
    private static string GoogleApiProtosDirectory()
    {
        var props = XDocument.Load(Path.Combine(RepositoryLayout.Root, "Directory.Packages.props"));
        var version = props.Descendants("PackageVersion")
            .Single(p => (string?)p.Attribute("Include") == "Google.Api.CommonProtos")
            .Attribute("Version")!.Value;
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var directory = Path.Combine(packages, "google.api.commonprotos", version, "content", "protos");
        return File.Exists(Path.Combine(directory, "google", "api", "annotations.proto"))
            ? directory
            : throw new DirectoryNotFoundException($"google/api/annotations.proto not under {directory}: restore the solution first");
    }
}
