using System.Diagnostics;

namespace PermissionLayer.Testing.Server;

/// <summary>
/// The built server started as a real operating-system process on loopback ports, for cluster and
/// crash tests. Killed on dispose, whatever happened.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, int grpcPort, int httpPort)
    {
        _process = process;
        GrpcPort = grpcPort;
        HttpPort = httpPort;
    }

    public int GrpcPort { get; }
    public int HttpPort { get; }
    public bool HasExited => _process.HasExited;

    /// <summary>Starts a node and waits until /healthz answers (or fails with its output).</summary>
    public static async Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string> settings, TimeSpan? timeout = null)
    {
        var grpcPort = FreePorts.Next();
        var httpPort = FreePorts.Next();
        var start = new ProcessStartInfo("dotnet", [RepositoryLayout.ProjectDll("src", "PermissionLayer.Server")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["PermissionLayer__Endpoints__GrpcPort"] = grpcPort.ToString(),
                ["PermissionLayer__Endpoints__HttpPort"] = httpPort.ToString(),
                ["PermissionLayer__Cluster__SiloPort"] = FreePorts.Next().ToString(),
                ["PermissionLayer__Cluster__GatewayPort"] = FreePorts.Next().ToString(),
                ["Logging__LogLevel__Default"] = "Warning",
                // Processes of one build share its folder: a spill or write-ahead file of one must never
                // be replayed by another (a test that restarts a node passes its own path).
                ["PermissionLayer__Audit__SpillPath"] = Path.Combine(Path.GetTempPath(), "permissionlayer-tests", Guid.NewGuid().ToString("N") + ".ndjson"),
            },
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var node = new ServerProcess(process, grpcPort, httpPort);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(2) };
        // A bound on a hang, not a timed assertion: on a loaded 2-core machine a node's start (JIT,
        // migration, silo join) has been seen to take over a minute.
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(3));
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the server exited with {process.ExitCode}:\n{output}");
            }
            try
            {
                if ((await http.GetAsync("/healthz")).IsSuccessStatusCode)
                {
                    return node;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(250);
        }
        node.Dispose();
        throw new TimeoutException($"the server did not become healthy in {(timeout ?? TimeSpan.FromMinutes(3)).TotalSeconds} s (running: {!process.HasExited}):\n{output}");
    }

    /// <summary>Kills the process at once, as a crash would.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
