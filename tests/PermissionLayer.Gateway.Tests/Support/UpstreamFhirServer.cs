using System.Diagnostics;
using System.Text;
using PermissionLayer.Testing;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Gateway.Tests.Support;

/// <summary>
/// A real FHIR R4 server: Medplum's FHIR router over its in-memory repository (upstream/server.mjs),
/// run by Node on a loopback port. Its packages are installed with <c>npm ci</c> into
/// <c>.local/gateway-upstream</c> (git-ignored) once, and reused while package-lock.json is unchanged.
/// </summary>
public sealed class UpstreamFhirServer : IAsyncDisposable
{
    private readonly Process _process;

    private UpstreamFhirServer(Process process, int port)
    {
        _process = process;
        BaseUrl = $"http://127.0.0.1:{port}/";
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
    }

    public string BaseUrl { get; }

    /// <summary>Straight to the FHIR server, bypassing the gateway: what it holds.</summary>
    public HttpClient Http { get; }

    public static async Task<UpstreamFhirServer> StartAsync(string? smartConfiguration = null)
    {
        var directory = await InstallAsync();
        var port = FreePorts.Next();
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("server.mjs");
        start.ArgumentList.Add(port.ToString());
        if (smartConfiguration is not null)
        {
            var file = Path.Combine(directory, $"smart-configuration-{port}.json");
            await File.WriteAllTextAsync(file, smartConfiguration);
            start.ArgumentList.Add(file);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (errors) { errors.AppendLine(e.Data); } };
        process.BeginErrorReadLine();
        var listening = process.StandardOutput.ReadLineAsync();
        if (await Task.WhenAny(listening, Task.Delay(TimeSpan.FromSeconds(60))) != listening || listening.Result is not { } line
            || !line.StartsWith("listening", StringComparison.Ordinal))
        {
            process.Kill(entireProcessTree: true);
            lock (errors)
            {
                throw new InvalidOperationException("the Node FHIR server did not start: " + errors);
            }
        }
        // Keep draining stdout so that the process never blocks on a full pipe.
        _ = process.StandardOutput.ReadToEndAsync();
        return new UpstreamFhirServer(process, port);
    }

    /// <summary>Stores resources with their own ids (the test host's <c>$load</c>), in batches.</summary>
    public async Task LoadAsync(IEnumerable<System.Text.Json.Nodes.JsonObject> resources)
    {
        foreach (var chunk in resources.Chunk(500))
        {
            var bundle = new System.Text.Json.Nodes.JsonObject
            {
                ["resourceType"] = "Bundle",
                ["type"] = "collection",
                ["entry"] = new System.Text.Json.Nodes.JsonArray([.. chunk.Select(r => new System.Text.Json.Nodes.JsonObject { ["resource"] = r.DeepClone() })]),
            };
            using var response = await Http.PostAsync("$load", new StringContent(bundle.ToJsonString(), Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();
        }
    }

    private static readonly SemaphoreSlim Install = new(1, 1);

    private static async Task<string> InstallAsync()
    {
        var source = Path.Combine(RepositoryLayout.Root, "tests", "PermissionLayer.Gateway.Tests", "upstream");
        var target = Environment.GetEnvironmentVariable("PERMISSIONLAYER_GATEWAY_UPSTREAM_DIR")
            ?? Path.Combine(RepositoryLayout.Root, ".local", "gateway-upstream");
        await Install.WaitAsync();
        try
        {
            Directory.CreateDirectory(target);
            var lockFile = await File.ReadAllTextAsync(Path.Combine(source, "package-lock.json"));
            var installed = Path.Combine(target, "node_modules", ".installed-lock.json");
            foreach (var file in new[] { "package.json", "package-lock.json", "server.mjs" })
            {
                File.Copy(Path.Combine(source, file), Path.Combine(target, file), overwrite: true);
            }
            if (!File.Exists(installed) || await File.ReadAllTextAsync(installed) != lockFile)
            {
                var npm = Process.Start(new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund"])
                {
                    WorkingDirectory = target,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                }) ?? throw new InvalidOperationException("npm did not start");
                var stderr = npm.StandardError.ReadToEndAsync();
                _ = npm.StandardOutput.ReadToEndAsync();
                await npm.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
                if (npm.ExitCode != 0)
                {
                    throw new InvalidOperationException("npm ci failed: " + await stderr);
                }
                await File.WriteAllTextAsync(installed, lockFile);
            }
            return target;
        }
        finally
        {
            Install.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
