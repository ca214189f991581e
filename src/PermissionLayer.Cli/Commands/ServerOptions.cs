using System.CommandLine;
using Grpc.Core;
using Grpc.Net.Client;

namespace PermissionLayer.Cli.Commands;

/// <summary>
/// Where the server is and which API key to send: <c>--server</c> / <c>PLCTL_SERVER</c> and
/// <c>--api-key</c> / <c>PLCTL_API_KEY</c> (the environment keeps the key out of shell history).
/// </summary>
internal static class ServerOptions
{
    public static readonly Option<string> Server = new("--server")
    {
        Description = "gRPC address of the server (default: $PLCTL_SERVER, else http://127.0.0.1:5080)",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PLCTL_SERVER") ?? "http://127.0.0.1:5080",
    };

    public static readonly Option<string?> ApiKey = new("--api-key")
    {
        Description = "API key (default: $PLCTL_API_KEY): admin role for entitlement commands, pep for check, auditor for audit",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PLCTL_API_KEY"),
    };

    public static GrpcChannel Channel(ParseResult parse)
    {
        var address = new Uri(parse.GetValue(Server)!);
        var options = new GrpcChannelOptions();
        if (parse.GetValue(ApiKey) is { Length: > 0 } key)
        {
            var credentials = CallCredentials.FromInterceptor((_, metadata) =>
            {
                metadata.Add("authorization", $"Bearer {key}");
                return Task.CompletedTask;
            });
            var cleartext = address.Scheme == Uri.UriSchemeHttp;
            options.Credentials = ChannelCredentials.Create(cleartext ? ChannelCredentials.Insecure : ChannelCredentials.SecureSsl, credentials);
            // h2c is for loopback and sidecar setups; over https the flag is irrelevant.
            options.UnsafeUseInsecureChannelCallCredentials = cleartext;
        }
        return GrpcChannel.ForAddress(address, options);
    }
}
