using System.Net;
using System.Net.Http.Json;
using Grpc.Core;
using Grpc.Health.V1;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Storage.ApiKeys;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Authentication;

/// <summary>Every call authenticates; roles separate deciding, administering and auditing.</summary>
public sealed class CallerAuthenticationTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_call_without_a_key_is_unauthenticated()
    {
        using var channel = server.Host.ChannelWith(null);
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new DecisionService.DecisionServiceClient(channel).CheckAsync(Requests.ReadPatient("Practitioner/A", "P")).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task A_forged_or_malformed_key_is_unauthenticated()
    {
        var genuine = await server.Host.CreateKeyAsync("forgery-base", CallerRoles.Pep);
        var forged = genuine[..^4] + "AAAA";
        foreach (var key in new[] { forged, "plk_nothing", "not-a-key" })
        {
            using var channel = server.Host.ChannelWith(key);
            var error = await Assert.ThrowsAsync<RpcException>(() =>
                new DecisionService.DecisionServiceClient(channel).PingAsync(new PingRequest()).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        }
    }

    [Fact]
    public async Task A_pep_key_decides_but_cannot_administer()
    {
        using var channel = server.Host.ChannelWith(await server.Host.CreateKeyAsync("fhir-server", CallerRoles.Pep));
        await new DecisionService.DecisionServiceClient(channel).PingAsync(new PingRequest());
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new AdminService.AdminServiceClient(channel).CreateGrantAsync(Requests.Grant("Practitioner/sneaky", "*")).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task An_admin_key_administers_but_cannot_ask_decisions()
    {
        using var channel = server.Host.ChannelWith(await server.Host.CreateKeyAsync("security-admin", CallerRoles.Admin));
        var created = await new AdminService.AdminServiceClient(channel).CreateGrantAsync(Requests.Grant("Practitioner/by-admin", "Patient/X"));
        Assert.Contains("key:security-admin/", created.Grant.GrantedBy);
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new DecisionService.DecisionServiceClient(channel).PingAsync(new PingRequest()).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task A_revoked_key_stops_working_within_seconds()
    {
        var key = await server.Host.CreateKeyAsync("short-lived", CallerRoles.Pep);
        using var channel = server.Host.ChannelWith(key);
        var decisions = new DecisionService.DecisionServiceClient(channel);
        await decisions.PingAsync(new PingRequest());

        ApiKeySecret.TryParse(key, out var id, out _);
        var store = (ApiKeyStore)server.Host.Services.GetService(typeof(ApiKeyStore))!;
        Assert.True(await store.RevokeAsync(id!, DateTimeOffset.UtcNow));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        StatusCode? status = null;
        while (DateTime.UtcNow < deadline && status is null)
        {
            try
            {
                await decisions.PingAsync(new PingRequest());
                await Task.Delay(200, TestContext.Current.CancellationToken);
            }
            catch (RpcException e)
            {
                status = e.StatusCode;
            }
        }
        Assert.Equal(StatusCode.Unauthenticated, status);
    }

    /// <summary>
    /// Authentication runs when a call starts; an admin's Watch of entitlement changes (grants and
    /// their patients, before and after) lives for as long as the caller keeps it open. Once the key
    /// is revoked, the open watch ends as a new call would be refused, and delivers nothing more.
    /// </summary>
    [Fact]
    public async Task A_watch_opened_with_a_key_that_is_then_revoked_ends_unauthenticated_and_delivers_nothing_more()
    {
        var key = await server.Host.CreateKeyAsync("watcher", CallerRoles.Admin);
        using var channel = server.Host.ChannelWith(key);
        var admin = new AdminService.AdminServiceClient(channel);
        var writer = new AdminService.AdminServiceClient(server.Host.Channel);
        var first = await writer.CreateGrantAsync(Requests.Grant("Practitioner/watched", "Patient/watched-1"));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var call = admin.Watch(new WatchRequest { AfterRevision = first.Revision - 1, Subject = "Practitioner/watched" }, cancellationToken: stop.Token);
        Assert.True(await call.ResponseStream.MoveNext(stop.Token), "the watch delivers the change before the revocation");

        ApiKeySecret.TryParse(key, out var id, out _);
        var store = (ApiKeyStore)server.Host.Services.GetService(typeof(ApiKeyStore))!;
        Assert.True(await store.RevokeAsync(id!, DateTimeOffset.UtcNow));
        // Known revoked on this node within seconds (the watcher polls): a new call is refused.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                await admin.WhoCanSeeAsync(new WhoCanSeeRequest { PatientId = "watched-1" }, cancellationToken: stop.Token);
                await Task.Delay(200, stop.Token);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unauthenticated)
            {
                break;
            }
        }
        await writer.CreateGrantAsync(Requests.Grant("Practitioner/watched", "Patient/watched-2"));
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext(stop.Token))
            {
                Assert.Fail($"delivered after the revocation: {call.ResponseStream.Current.AfterJson}");
            }
        });
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task Health_needs_no_key()
    {
        using var channel = server.Host.ChannelWith(null);
        var response = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Json_endpoints_need_a_key_with_the_right_role()
    {
        var ct = TestContext.Current.CancellationToken;
        using var anonymous = new HttpClient { BaseAddress = server.Host.Http.BaseAddress };
        var body = new { grant = new { principal = "Practitioner/J", target = "*", actions = "r", reason = "x" } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/v1/grants", body, ct)).StatusCode);

        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", await server.Host.CreateKeyAsync("json-pep", CallerRoles.Pep));
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.PostAsJsonAsync("/v1/grants", body, ct)).StatusCode);
    }
}
