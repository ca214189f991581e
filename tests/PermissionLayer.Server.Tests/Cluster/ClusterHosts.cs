using Grpc.Net.Client;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Cluster;

/// <summary>Authenticated channels to the two nodes of a test cluster.</summary>
internal sealed class ClusterHosts : IDisposable
{
    public ClusterHosts(string key, ServerProcess first, ServerProcess second)
    {
        First = Channel(first.GrpcPort, key);
        Second = Channel(second.GrpcPort, key);
    }

    public GrpcChannel First { get; }
    public GrpcChannel Second { get; }

    private static GrpcChannel Channel(int port, string key) =>
        GrpcChannel.ForAddress($"http://127.0.0.1:{port}", new GrpcChannelOptions
        {
            Credentials = Grpc.Core.ChannelCredentials.Create(Grpc.Core.ChannelCredentials.Insecure,
                Grpc.Core.CallCredentials.FromInterceptor((_, metadata) =>
                {
                    metadata.Add("authorization", $"Bearer {key}");
                    return Task.CompletedTask;
                })),
            UnsafeUseInsecureChannelCallCredentials = true,
        });

    public void Dispose()
    {
        First.Dispose();
        Second.Dispose();
    }
}
