using Grpc.Core;
using Grpc.Net.Client;

namespace PermissionLayer.DataGenerator.Loading;

/// <summary>A gRPC channel to the server carrying an API key on every call.</summary>
public static class AdminChannel
{
    public static GrpcChannel Open(string address, string key) => GrpcChannel.ForAddress(address, new GrpcChannelOptions
    {
        Credentials = ChannelCredentials.Create(ChannelCredentials.Insecure, CallCredentials.FromInterceptor((_, metadata) =>
        {
            metadata.Add("authorization", $"Bearer {key}");
            return Task.CompletedTask;
        })),
        UnsafeUseInsecureChannelCallCredentials = true,
        MaxReceiveMessageSize = 64 * 1024 * 1024,
        MaxSendMessageSize = 64 * 1024 * 1024,
    });
}
