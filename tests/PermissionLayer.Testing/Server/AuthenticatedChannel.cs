using Grpc.Core;
using Grpc.Net.Client;

namespace PermissionLayer.Testing.Server;

/// <summary>A gRPC channel that sends an API key (or none) with every call, over cleartext h2c on loopback.</summary>
public static class AuthenticatedChannel
{
    public static GrpcChannel For(int port, string? apiKey)
    {
        var address = $"http://127.0.0.1:{port}";
        if (apiKey is null)
        {
            return GrpcChannel.ForAddress(address);
        }
        var credentials = CallCredentials.FromInterceptor((_, metadata) =>
        {
            metadata.Add("authorization", $"Bearer {apiKey}");
            return Task.CompletedTask;
        });
        return GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            Credentials = ChannelCredentials.Create(ChannelCredentials.Insecure, credentials),
            // Cleartext h2c on loopback in tests; production puts TLS in front.
            UnsafeUseInsecureChannelCallCredentials = true,
        });
    }
}
