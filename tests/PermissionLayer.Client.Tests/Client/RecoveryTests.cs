using System.Diagnostics;
using PermissionLayer.Client.Tests.Support;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Client.Tests.Client;

/// <summary>An outage and its end, seen by one long-lived client (as a FHIR server holds it).</summary>
public sealed class RecoveryTests
{
    [Fact]
    public async Task Client_denies_while_the_server_is_down_and_decides_again_soon_after_it_is_back()
    {
        const string app = "recovery-app";
        var port = FreePorts.Next();
        var database = await PostgresServer.CreateDatabaseAsync("recovery");
        var onPort = new Dictionary<string, string?> { ["PermissionLayer:Endpoints:GrpcPort"] = port.ToString() };
        string key;
        await using (var first = await ServerHost.StartAsync(database, onPort))
        {
            // Entitlements and the FHIR server's key exist before the outage.
            key = first.SuperKey;
            var admin = new AdminService.AdminServiceClient(first.Channel);
            await admin.CreateGrantAsync(Requests.TrustClient(app));
            await admin.CreateGrantAsync(Requests.Grant("Practitioner/back", "Patient/back-p"));
        }
        using var client = new PermissionLayerClient(new PermissionLayerClientOptions
        {
            Address = new Uri($"http://127.0.0.1:{port}"),
            ApiKey = key,
        });
        var request = Requests.ReadPatient(app, "Practitioner/back", "back-p");

        await Assert.ThrowsAsync<PermissionLayerUnavailableException>(() => client.CheckAsync(request));

        await using var host = await ServerHost.StartAsync(database, onPort);

        // The channel reconnects on its own (backoff capped at 5 s); until then calls still throw.
        var clock = Stopwatch.StartNew();
        CheckResult? result = null;
        while (result is null && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            try
            {
                result = await client.CheckAsync(request);
            }
            catch (PermissionLayerUnavailableException)
            {
                await Task.Delay(200);
            }
        }
        Assert.NotNull(result);
        Assert.True(result.IsPermitted);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"recovered after {clock.Elapsed}");
    }
}
