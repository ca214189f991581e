using Grpc.Core;
using PermissionLayer.Client.Tests.Support;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Client.Tests.Client;

/// <summary>The typed client against a real server: permit, deny with the deciding reason, deadlines, rejections.</summary>
public sealed class CheckTests(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime, IDisposable
{
    private const string App = "client-tests-app";
    private readonly AdminService.AdminServiceClient _admin = new(server.Host.Channel);
    private readonly PermissionLayerClient _client = new(new PermissionLayerClientOptions
    {
        Address = new Uri($"http://127.0.0.1:{server.Host.GrpcPort}"),
        ApiKey = server.Host.SuperKey,
        // These tests are about answers, not latency: a cold first call on a loaded CI machine may
        // exceed the 2-second production default. The deadline tests below set their own.
        DefaultDeadline = TimeSpan.FromSeconds(30),
    });

    public async ValueTask InitializeAsync() => await _admin.CreateGrantAsync(Requests.TrustClient(App));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task Granted_read_is_permitted_with_decision_id_revision_and_reasons()
    {
        var granted = await _admin.CreateGrantAsync(Requests.Grant("Practitioner/permit-a", "Patient/permit-p"));

        var result = await _client.CheckAsync(Requests.ReadPatient(App, "Practitioner/permit-a", "permit-p"));

        Assert.True(result.IsPermitted);
        Assert.Null(result.DecidingReason);
        Assert.True(Guid.TryParse(result.DecisionId, out _));
        Assert.True(result.Revision >= granted.Revision);
        var user = Assert.Single(result.Reasons, r => r.Term == Term.User);
        Assert.True(user.Permits);
        Assert.Contains(granted.Grant.Id, user.Source);
        Assert.Equal(Outcome.Permit, result.Response.Outcome);
    }

    [Fact]
    public async Task Unentitled_read_is_denied_naming_the_deciding_reason()
    {
        var result = await _client.CheckAsync(Requests.ReadPatient(App, "Practitioner/deny-a", "deny-p"));

        Assert.False(result.IsPermitted);
        var deciding = Assert.IsType<CheckReason>(result.DecidingReason);
        Assert.Equal(Term.User, deciding.Term);
        Assert.Equal("user.no-grant", deciding.Code);
        // Safe to show the user: a deny does not name the patients the data concerns (the audit does).
        Assert.Equal("no grant of yours reaches every patient this data concerns", deciding.Message);
        Assert.Equal("Practitioner/deny-a", deciding.Source);
    }

    [Fact]
    public async Task Expired_deadline_fails_with_deadline_exceeded_not_a_decision()
    {
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/late-a", "Patient/late-p"));

        var error = await Assert.ThrowsAsync<PermissionLayerUnavailableException>(() =>
            _client.CheckAsync(Requests.ReadPatient(App, "Practitioner/late-a", "late-p"), DateTime.UtcNow.AddSeconds(-1)));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
    }

    [Fact]
    public async Task Default_deadline_applies_to_calls_without_one()
    {
        using var impatient = new PermissionLayerClient(new PermissionLayerClientOptions
        {
            Address = new Uri($"http://127.0.0.1:{server.Host.GrpcPort}"),
        ApiKey = server.Host.SuperKey,
            DefaultDeadline = TimeSpan.FromTicks(1),
        });

        var error = await Assert.ThrowsAsync<PermissionLayerUnavailableException>(() =>
            impatient.CheckAsync(Requests.ReadPatient(App, "Practitioner/a", "p")));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
    }

    [Fact]
    public async Task Malformed_request_is_rejected_with_the_servers_detail_not_retried_into_a_decision()
    {
        var error = await Assert.ThrowsAsync<PermissionLayerException>(() =>
            _client.CheckAsync(new CheckRequest { Interaction = Interaction.Read, ResourceType = "Patient" }));

        Assert.IsNotType<PermissionLayerUnavailableException>(error);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("token", error.Detail);
    }

    [Fact]
    public async Task Caller_cancellation_surfaces_as_operation_cancelled()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _client.CheckAsync(Requests.ReadPatient(App, "Practitioner/a", "p"), cancelled.Token));
    }

    [Fact]
    public async Task Ping_answers_when_the_server_is_up()
    {
        await _client.PingAsync();
    }
}
