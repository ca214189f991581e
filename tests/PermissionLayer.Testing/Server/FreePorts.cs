using System.Net;
using System.Net.Sockets;

namespace PermissionLayer.Testing.Server;

/// <summary>Loopback ports that were free a moment ago (the OS hands out each at most once in a while).</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
