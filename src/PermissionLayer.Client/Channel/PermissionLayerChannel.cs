using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;

namespace PermissionLayer.Client;

/// <summary>Builds the one long-lived channel a client uses: retries, API key and transport in one place.</summary>
internal static class PermissionLayerChannel
{
    private static readonly TimeSpan MaxReconnectBackoff = TimeSpan.FromSeconds(5);

    public static GrpcChannel Create(PermissionLayerClientOptions options)
    {
        var address = options.Address!;
        var cleartext = address.Scheme == Uri.UriSchemeHttp;
        var channelOptions = new GrpcChannelOptions
        {
            ServiceConfig = new ServiceConfig { MethodConfigs = { DefaultMethodConfig(options.Retry) } },
            HttpHandler = options.HttpHandler,
            DisposeHttpClient = false,
            // A refused connection fails later calls fast until the channel reconnects. Reconnecting
            // on the retry schedule lets a retry reach a node that just came back, and a short
            // ceiling ends the 503s within seconds of an outage instead of gRPC's default 2 minutes.
            InitialReconnectBackoff = options.Retry.InitialBackoff,
            MaxReconnectBackoff = MaxReconnectBackoff,
        };
        if (options.ApiKey is { } apiKey)
        {
            var bearer = "Bearer " + apiKey;
            var callCredentials = CallCredentials.FromInterceptor((_, metadata) =>
            {
                metadata.Add("authorization", bearer);
                return Task.CompletedTask;
            });
            channelOptions.Credentials = ChannelCredentials.Create(
                cleartext ? ChannelCredentials.Insecure : ChannelCredentials.SecureSsl, callCredentials);
            // gRPC refuses to send call credentials over h2c unless told to: this is the loopback /
            // mTLS-sidecar case the Address docs allow. Over https the flag is irrelevant.
            channelOptions.UnsafeUseInsecureChannelCallCredentials = cleartext;
        }
        return GrpcChannel.ForAddress(address, channelOptions);
    }

    /// <summary>
    /// One policy for every method of the channel: retry UNAVAILABLE only. DEADLINE_EXCEEDED is not
    /// retried because the deadline already covers all attempts; nothing else means "not decided".
    /// </summary>
    private static MethodConfig DefaultMethodConfig(PermissionLayerRetryOptions retry)
    {
        var config = new MethodConfig { Names = { MethodName.Default } };
        if (retry.MaxAttempts > 1)
        {
            config.RetryPolicy = new RetryPolicy
            {
                MaxAttempts = retry.MaxAttempts,
                InitialBackoff = retry.InitialBackoff,
                MaxBackoff = retry.MaxBackoff,
                BackoffMultiplier = retry.BackoffMultiplier,
                RetryableStatusCodes = { StatusCode.Unavailable },
            };
        }
        return config;
    }
}
