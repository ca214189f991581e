using Grpc.Net.Client;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Cluster;

/// <summary>Authenticated channels to the two nodes of a test cluster.</summary>
internal sealed class ClusterHosts(string key, ServerProcess first, ServerProcess second) : IDisposable
{
    public GrpcChannel First { get; } = AuthenticatedChannel.For(first.GrpcPort, key);
    public GrpcChannel Second { get; } = AuthenticatedChannel.For(second.GrpcPort, key);

    public void Dispose()
    {
        First.Dispose();
        Second.Dispose();
    }
}
