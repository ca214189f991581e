using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PermissionLayer.Server.Tests.Deployment;

/// <summary>
/// kubectl without a cluster: every command here is client-side (<c>kustomize</c>, <c>--local</c>),
/// and KUBECONFIG points at an empty file so that nothing can reach a server by accident.
/// </summary>
internal static class Kubectl
{
    /// <summary>The kubectl on PATH, or null where none is installed (the tests then skip).</summary>
    public static string? Path { get; } = Find();

    public static async Task<string> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Path!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["KUBECONFIG"] = "/dev/null";
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"kubectl {string.Join(' ', arguments)} exited {process.ExitCode}: {await error}");
        return await output;
    }

    /// <summary>
    /// The objects of a manifest file, decoded by kubectl into its typed API structs and printed
    /// back as JSON: an unknown kind or apiVersion, a wrongly typed value or broken YAML fails here.
    /// </summary>
    public static async Task<List<JsonObject>> DecodeAsync(string file)
    {
        // `set env --local --list` decodes every object into the typed structs and fails on what does not fit.
        await RunAsync("set", "env", "--local", "-f", file, "--list");
        // Removing a label nobody has is a no-op that prints each object.
        return ParseConcatenated(await RunAsync("label", "--local", "-f", file, "-o", "json", "permissionlayer.test/none-"));
    }

    /// <summary>
    /// An object as kubectl's typed struct keeps it (fields it does not know are dropped). kubectl prints
    /// only what it changed, so a variable is added (at the end: the paths of the others stay).
    /// </summary>
    public static async Task<JsonObject> RoundTripAsync(JsonObject manifest)
    {
        var file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"pl-k8s-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, manifest.ToJsonString());
        try
        {
            string[] arguments = (string?)manifest["kind"] switch
            {
                "Service" => ["set", "selector", "--local", "-f", file, "-o", "json", Selector(manifest["spec"]!["selector"]!.AsObject())],
                _ => ["set", "env", "--local", "-f", file, "-o", "json", "PERMISSIONLAYER_TEST_ROUNDTRIP=1"],
            };
            return ParseConcatenated(await RunAsync(arguments)).Single();
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string Selector(JsonObject labels) => string.Join(',', labels.Select(l => $"{l.Key}={(string?)l.Value}"));

    private static List<JsonObject> ParseConcatenated(string json)
    {
        var objects = new List<JsonObject>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json), new JsonReaderOptions { AllowMultipleValues = true });
        while (reader.Read())
        {
            objects.Add(JsonNode.Parse(ref reader)!.AsObject());
        }
        return objects;
    }

    private static string? Find()
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = System.IO.Path.Combine(folder, "kubectl");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
