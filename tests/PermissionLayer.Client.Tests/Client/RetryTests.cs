using System.Diagnostics;
using Grpc.Core;
using PermissionLayer.Client.Tests.Support;

namespace PermissionLayer.Client.Tests.Client;

/// <summary>PermissionLayer down: bounded retries, then an exception the caller must turn into a deny.</summary>
public sealed class RetryTests
{
    private static readonly PermissionLayerRetryOptions FastRetry = new()
    {
        MaxAttempts = 3,
        InitialBackoff = TimeSpan.FromMilliseconds(20),
        MaxBackoff = TimeSpan.FromMilliseconds(80),
        BackoffMultiplier = 2,
    };

    [Fact]
    public async Task Unreachable_server_throws_unavailable_after_the_configured_attempts()
    {
        using var recorder = new RecordingHandler();
        using var client = new PermissionLayerClient(new PermissionLayerClientOptions
        {
            Address = DeadAddress.Next(),
            Retry = FastRetry,
            DefaultDeadline = TimeSpan.FromSeconds(10),
            HttpHandler = recorder,
        });

        var error = await Assert.ThrowsAsync<PermissionLayerUnavailableException>(() =>
            client.CheckAsync(Requests.ReadPatient("app", "Practitioner/a", "p")));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(FastRetry.MaxAttempts, recorder.Sent.Count);
    }

    [Fact]
    public async Task Unreachable_server_fails_well_within_the_deadline_with_the_default_transport()
    {
        using var client = new PermissionLayerClient(new PermissionLayerClientOptions
        {
            Address = DeadAddress.Next(),
            Retry = FastRetry,
            DefaultDeadline = TimeSpan.FromSeconds(10),
        });
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<PermissionLayerUnavailableException>(() =>
            client.CheckAsync(Requests.ReadPatient("app", "Practitioner/a", "p")));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        // Three attempts with at most 20 + 40 ms of backoff: seconds would mean unbounded retrying.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Retries_stop_at_the_deadline()
    {
        using var recorder = new RecordingHandler();
        using var client = new PermissionLayerClient(new PermissionLayerClientOptions
        {
            Address = DeadAddress.Next(),
            Retry = new PermissionLayerRetryOptions
            {
                MaxAttempts = 5, InitialBackoff = TimeSpan.FromSeconds(5), MaxBackoff = TimeSpan.FromSeconds(5),
            },
            DefaultDeadline = TimeSpan.FromMilliseconds(300),
            HttpHandler = recorder,
        });
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<PermissionLayerUnavailableException>(() =>
            client.CheckAsync(Requests.ReadPatient("app", "Practitioner/a", "p")));

        // Either the deadline ended the backoff or the randomized backoff was short; never all 5 x 5 s.
        Assert.Contains(error.StatusCode, new[] { StatusCode.DeadlineExceeded, StatusCode.Unavailable });
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
        Assert.InRange(recorder.Sent.Count, 1, 5);
    }

    [Fact]
    public async Task Api_key_is_sent_as_a_bearer_token_on_every_attempt()
    {
        using var recorder = new RecordingHandler();
        using var client = new PermissionLayerClient(new PermissionLayerClientOptions
        {
            Address = DeadAddress.Next(),
            ApiKey = "pep-key-123",
            Retry = FastRetry,
            HttpHandler = recorder,
            // Every attempt must be made: a loaded machine must not spend the whole deadline on the first.
            DefaultDeadline = TimeSpan.FromSeconds(60),
        });

        await Assert.ThrowsAsync<PermissionLayerUnavailableException>(() =>
            client.CheckAsync(Requests.ReadPatient("app", "Practitioner/a", "p")));

        Assert.Equal(FastRetry.MaxAttempts, recorder.Sent.Count);
        Assert.All(recorder.Sent, r => Assert.Equal("Bearer pep-key-123", r.Headers.Authorization?.ToString()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public void Unbounded_or_empty_retry_settings_are_rejected(int maxAttempts)
    {
        var error = Assert.Throws<ArgumentException>(() => new PermissionLayerClient(new PermissionLayerClientOptions
        {
            Address = DeadAddress.Next(),
            Retry = new PermissionLayerRetryOptions { MaxAttempts = maxAttempts },
        }));
        Assert.Contains("MaxAttempts", error.Message);
    }

    [Fact]
    public void Missing_address_and_deadline_are_rejected_by_name()
    {
        var error = Assert.Throws<ArgumentException>(() => new PermissionLayerClient(new PermissionLayerClientOptions
        {
            DefaultDeadline = TimeSpan.Zero,
        }));
        Assert.Contains("Address", error.Message);
        Assert.Contains("DefaultDeadline", error.Message);
    }
}
