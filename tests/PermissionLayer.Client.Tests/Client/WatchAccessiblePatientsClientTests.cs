using PermissionLayer.Client.Sync;
using PermissionLayer.Client.Tests.Support;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Client.Tests.Client;

/// <summary>WatchAccessiblePatientsAsync resumes by itself: one feed for the app across a server restart.</summary>
public sealed class WatchAccessiblePatientsClientTests
{
    [Fact]
    public async Task The_feed_resumes_across_a_server_restart_and_the_device_ends_equal_to_the_server()
    {
        const string app = "sync-client-app";
        var port = FreePorts.Next();
        var database = await PostgresServer.CreateDatabaseAsync("syncclient");
        var settings = new Dictionary<string, string?>
        {
            ["PermissionLayer:Endpoints:GrpcPort"] = port.ToString(),
            ["PermissionLayer:Sync:TickMilliseconds"] = "50",
            ["PermissionLayer:Sync:HeartbeatMilliseconds"] = "200",
        };
        var first = await ServerHost.StartAsync(database, settings);
        var key = first.SuperKey;
        await new AdminService.AdminServiceClient(first.Channel).CreateGrantAsync(Requests.TrustClient(app));
        var granted = (await new AdminService.AdminServiceClient(first.Channel).CreateGrantAsync(Requests.Grant("Practitioner/sc", "Patient/sc-1"))).Revision;

        using var client = new PermissionLayerClient(new PermissionLayerClientOptions { Address = new Uri($"http://127.0.0.1:{port}"), ApiKey = key });
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var request = new WatchAccessiblePatientsRequest
        {
            Token = new TokenContext { ClientId = app, FhirUser = "Practitioner/sc", Scope = "user/Patient.rs" }, ResourceType = "Patient",
        };
        var set = new HashSet<string>();
        var position = AccessibleFeedPosition.Start;
        var events = client.WatchAccessiblePatientsAsync(request, cancellationToken: stop.Token).GetAsyncEnumerator(stop.Token);
        async Task UntilAsync(Func<bool> done)
        {
            while (!done())
            {
                Assert.True(await events.MoveNextAsync());
                var change = events.Current;
                if (change.Snapshot is { } snapshot)
                {
                    set = [.. snapshot];
                }
                set.UnionWith(change.Entered);
                set.ExceptWith(change.Left);
                position = change.Position;
            }
        }
        try
        {
            await UntilAsync(() => position.Revision >= granted);
            Assert.Equal(["sc-1"], set);
            Assert.StartsWith("fc1:", position.ContextDigest);

            // The server goes away while the feed is open (the enumerator keeps retrying), and comes back.
            await first.DisposeAsync();
            await using var second = await ServerHost.StartAsync(database, settings);
            var admin = new AdminService.AdminServiceClient(second.Channel);
            var added = (await admin.CreateGrantAsync(Requests.Grant("Practitioner/sc", "Patient/sc-2"))).Revision;

            await UntilAsync(() => position.Revision >= added && set.Contains("sc-2"));
            Assert.Equal(["sc-1", "sc-2"], set.Order());
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await events.DisposeAsync();
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
