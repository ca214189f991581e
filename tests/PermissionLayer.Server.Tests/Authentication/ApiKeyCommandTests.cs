using System.Diagnostics;
using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Testing;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Authentication;

/// <summary>
/// The key commands of the real server binary against real PostgreSQL: a key is created, listed
/// without its secret, revoked without SQL, and then refused by a running server.
/// </summary>
public sealed class ApiKeyCommandTests
{
    private static async Task<(int Exit, string Output, string Error)> RunAsync(string connectionString, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [RepositoryLayout.ProjectDll("src", "PermissionLayer.Server"), .. args])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            Environment = { ["PermissionLayer__Storage__ConnectionString"] = connectionString },
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task Keys_are_created_listed_and_revoked_from_the_command_line()
    {
        var database = await PostgresServer.CreateDatabaseAsync("key-commands");
        Assert.Equal(0, (await RunAsync(database, "migrate")).Exit);
        var created = await RunAsync(database, "create-key", "--name", "ward-pep", "--role", "pep");
        Assert.True(created.Exit == 0, created.Error);
        var key = created.Output.Trim();
        var id = key.Split('_')[1];
        var secret = key[$"plk_{id}_".Length..];

        var listed = await RunAsync(database, "list-keys");
        var line = Assert.Single(listed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"{id}\tward-pep\tpep\t", line);
        Assert.EndsWith("active", line);
        Assert.DoesNotContain(secret, listed.Output);

        await using var host = await ServerHost.StartAsync(database);
        var decisions = new DecisionService.DecisionServiceClient(host.ChannelWith(key));
        await decisions.PingAsync(new PingRequest());

        var revoked = await RunAsync(database, "revoke-key", "--id", id);
        Assert.True(revoked.Exit == 0, revoked.Error);
        Assert.Contains("revoked", (await RunAsync(database, "list-keys")).Output);
        Assert.Equal(1, (await RunAsync(database, "revoke-key", "--id", id)).Exit); // not active any more
        Assert.Equal(2, (await RunAsync(database, "revoke-key")).Exit);

        // The running server hears of the revocation within its polling interval.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        StatusCode? refused = null;
        while (refused is null && DateTime.UtcNow < deadline)
        {
            try
            {
                await decisions.PingAsync(new PingRequest());
                await Task.Delay(200, TestContext.Current.CancellationToken);
            }
            catch (RpcException e)
            {
                refused = e.StatusCode;
            }
        }
        Assert.Equal(StatusCode.Unauthenticated, refused);
    }
}
